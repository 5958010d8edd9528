/**
 * A small HTTP proxy in front of a real registry that can fail or hold chosen requests: how tests
 * get "a registry that answers 500 mid-upload" without faking the registry itself.
 */
import { request, createServer, type IncomingMessage, type ServerResponse } from 'node:http';

export interface FaultyProxy {
  host: string;
  /** Method and path of every request seen, in order. */
  seen: string[];
  close(): Promise<void>;
}

export interface Faults {
  /** Answers 500 (without forwarding) to the PATCHes whose 1-based numbers it returns true for. */
  failPatch?: (n: number) => boolean;
  /** Called when PATCH number n arrives, before it is forwarded; may delay it. */
  onPatch?: (n: number) => Promise<void> | void;
}

export async function startProxy(target: { port: number }, faults: Faults): Promise<FaultyProxy> {
  const seen: string[] = [];
  let patches = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    seen.push(`${req.method} ${new URL(req.url ?? '/', 'http://x').pathname}`);
    void (async () => {
      if (req.method === 'PATCH') {
        const n = ++patches;
        await faults.onPatch?.(n);
        if (faults.failPatch?.(n)) {
          req.resume();
          req.on('end', () => {
            res.writeHead(500, { 'Content-Type': 'application/json' });
            res.end(JSON.stringify({ errors: [{ code: 'UNKNOWN', message: 'injected failure' }] }));
          });
          return;
        }
      }
      // The Host header goes through unchanged, so the registry's Location headers point back here.
      const up = request({ host: '127.0.0.1', port: target.port, method: req.method, path: req.url, headers: req.headers }, (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        r.pipe(res);
      });
      up.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
      req.pipe(up);
    })();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
