/**
 * `trainyard serve`: the renderer in a browser, for headless or remote workstations.
 *
 * One plain `node:http` server does two things and nothing else:
 * - serves the built renderer (static files confined to one folder, strict security headers);
 * - accepts WebSocket upgrades on `/rpc`, each one a connection to the core over the same contract
 *   as the Electron window.
 * Security follows Jupyter's model: loopback by default, a random token printed in the URL and
 * required for the WebSocket (compared in constant time), and the Origin of every upgrade checked
 * so that another web page the user visits cannot drive the core. Static files are public: they are
 * the renderer bundle, and the page reads the token from its own URL.
 *
 * Run artifacts download from `GET /api/artifacts/<artifactId>?token=...` (or with the token as
 * `Authorization: Bearer`): the core looks the artifact up and resolves its file inside the data
 * directory, and the file is streamed as an attachment. A job's whole log downloads the same way
 * from `GET /api/jobs/<jobId>/log`, as text, one line per log line, read from the core page by page.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import { hostname, networkInterfaces } from 'node:os';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { logFileLine } from '../shared/log-file';
import { mimeType } from '../shared/mime';
import type { ApiHandlers, Events } from '../shared/contract';
import { InvalidInput, NotFound, TrainyardError } from '../shared/errors';
import { serveConnection } from '../shared/rpc/dispatcher';
import type { EventSource, ServerMessage, Transport } from '../shared/rpc/protocol';
import { socketTransport, type SocketLike } from '../shared/rpc/websocket';
import { METRICS_CONTENT_TYPE, metricsText, startMetricsServer, type MetricsServer } from './metrics';
import { defaultRendererDir } from './paths';

/** The part of the core a face needs: the validated API and its events. */
export interface ServedCore {
  api: ApiHandlers;
  events: EventSource<Events>;
}

export interface StartServerOptions {
  core: ServedCore;
  /** Interface to bind; 127.0.0.1 unless told otherwise. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** The secret the WebSocket requires; 32 random bytes in hex unless given. */
  token?: string;
  /** The built renderer; `<package>/out/renderer` unless given. */
  rendererDir?: string;
  /** Further origins allowed to open the WebSocket (`https://gpu-box.example:8443` behind a proxy). */
  allowedOrigins?: string[];
  /** Also serve `/metrics` without the token on this loopback address (`--metrics [HOST:]PORT`). */
  metrics?: { host: string; port: number };
  /** Where failures with no one to answer go (`trainyard serve` passes the core log); stderr unless given. */
  log?: (level: 'warn' | 'error', message: string, context: Record<string, unknown>) => void;
}

export interface RunningServer {
  /** What to open in a browser: `http://127.0.0.1:PORT/?token=...`. */
  url: string;
  port: number;
  host: string;
  token: string;
  /** The unauthenticated metrics address, when asked for. */
  metricsUrl: string | null;
  /** A line to print when the server listens beyond this machine; null on loopback. */
  warning: string | null;
  /** Stops listening and closes every connection. The core is the caller's to close. */
  close(): Promise<void>;
}

/** The WebSocket face caps one message at 64 MiB (a dataset sent as text must fit). */
export const MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

/** Matches what the renderer needs: its own scripts, inline styles, data: images, the WebSocket. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "connect-src 'self' ws: wss:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};


const HEARTBEAT_MS = 30_000;

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127(\.\d{1,3}){3}$/.test(h) || h === '::ffff:127.0.0.1';
}

function isWildcardHost(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '[::]' || host === '';
}

function hostForUrl(host: string): string {
  const h = host.replace(/^\[|\]$/g, '');
  return h.includes(':') ? `[${h}]` : h;
}

/** Compares two secrets in constant time (hashing first so lengths never leak or throw). */
function sameSecret(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b) && given.length === expected.length;
}

/** The origins a page served by this server can have: loopback names, the bound host, and this machine's addresses when bound to all interfaces. */
function ownOrigins(host: string, port: number, extra: string[]): Set<string> {
  const names = new Set<string>(['127.0.0.1', 'localhost', '[::1]']);
  if (isWildcardHost(host)) {
    names.add(hostname().toLowerCase());
    for (const addrs of Object.values(networkInterfaces())) {
      for (const a of addrs ?? []) names.add(hostForUrl(a.address.toLowerCase()));
    }
  } else {
    names.add(hostForUrl(host.toLowerCase()));
  }
  const origins = new Set<string>();
  for (const n of names) origins.add(`http://${n}:${port}`);
  for (const o of extra) origins.add(o.replace(/\/+$/, '').toLowerCase());
  return origins;
}

function refuse(socket: Duplex, status: number, reason: string, message: string): void {
  if (socket.writable) {
    const body = `${message}\n`;
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\n` +
        'Connection: close\r\n' +
        'Content-Type: text/plain; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        '\r\n' +
        body,
    );
  }
  socket.destroy();
}

function sendText(res: http.ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

/** `attachment; filename="..."` with a plain-ASCII fallback and the UTF-8 name (RFC 6266). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const ARTIFACT_ROUTE = /^\/api\/artifacts\/([^/]+)$/;
/** The id a route's path segment names, or null when it is not one (undecodable, empty, too long). */
function routeId(raw: string): string | null {
  try {
    const id = decodeURIComponent(raw);
    return id && id.length <= 64 ? id : null;
  } catch {
    return null;
  }
}

const JOB_LOG_ROUTE = /^\/api\/jobs\/([^/]+)\/log$/;
/** Lines read from the core per page while a log streams out. */
const LOG_PAGE = 10_000;

function isWithin(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** Resolves a request path to a file inside `root`, or null. Symlinks are followed only when they stay inside. */
async function resolveStatic(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const candidate = path.resolve(root, '.' + path.posix.normalize('/' + decoded.replace(/\\/g, '/')));
  if (!isWithin(root, candidate)) return null;
  try {
    let real = await realpath(candidate);
    if (!isWithin(root, real)) return null;
    let st = await stat(real);
    if (st.isDirectory()) {
      real = await realpath(path.join(real, 'index.html'));
      if (!isWithin(root, real)) return null;
      st = await stat(real);
    }
    return st.isFile() ? real : null;
  } catch {
    return null;
  }
}

/** A transport that answers unreadable text (not JSON) with a typed error of its own. */
function jsonSocketTransport(ws: WebSocket): Transport<ServerMessage> {
  const base = socketTransport(ws as unknown as SocketLike) as Transport<ServerMessage>;
  return {
    ...base,
    onMessage(cb) {
      return base.onMessage((msg) => {
        const m = msg as { t?: unknown } | null;
        if (m && typeof m === 'object' && !Array.isArray(m) && m.t === 'unparseable' && Object.keys(m).length === 1) {
          base.send({ t: 'error', error: new InvalidInput('Message is not valid JSON').toWire() });
          return;
        }
        cb(msg);
      });
    },
  };
}

export async function startServer(opts: StartServerOptions): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomBytes(32).toString('hex');
  if (!token) throw new InvalidInput('The token must not be empty', 'token');
  const rendererDir = path.resolve(opts.rendererDir ?? defaultRendererDir());
  const log =
    opts.log ??
    ((_level: string, message: string, context: Record<string, unknown>) =>
      process.stderr.write(`trainyard: ${message}: ${JSON.stringify(context, (_k, v: unknown) => (v instanceof Error ? v.message : v))}\n`));
  let rendererRoot: string | null = null;
  const rendererReal = async () => (rendererRoot ??= await realpath(rendererDir));

  let origins = new Set<string>();

  const serveStatic = async (req: http.IncomingMessage, res: http.ServerResponse, pathname: string) => {
    let root: string;
    try {
      root = await rendererReal();
    } catch {
      return sendText(res, 503, 'The Trainyard UI is not built yet: run `trainyard build-ui`, then reload.');
    }
    let file = await resolveStatic(root, pathname);
    // Client-side routes (no file extension) get the app's page, so a reload keeps working.
    if (!file && !path.posix.extname(pathname) && !pathname.includes('..') && !/%2e/i.test(pathname)) {
      file = await resolveStatic(root, '/index.html');
      if (!file && pathname === '/') {
        return sendText(res, 503, 'The Trainyard UI is not built yet: run `trainyard build-ui`, then reload.');
      }
    }
    if (!file) return sendText(res, 404, 'Not found');
    const ext = path.extname(file).toLowerCase();
    const st = await stat(file);
    const immutable = /[\\/]assets[\\/]/.test(path.relative(root, file)) && ext !== '.html';
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': mimeType(file),
      'Content-Length': st.size,
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    const stream = createReadStream(file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  /** Whether a download request carries the token, in the query or as a bearer. */
  const authorized = (req: http.IncomingMessage, url: URL): boolean => {
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const given = url.searchParams.get('token') ?? bearer;
    return !!given && sameSecret(given, token);
  };
  const TOKEN_REQUIRED = 'A valid token is required: open the URL that `trainyard serve` printed';

  const metricsBody = async () => metricsText(await opts.core.api.monitor.snapshot({}), await opts.core.api.queue.state({}));

  /** Streams a job's whole log as text: `<ISO time> <level> <message>` per line. */
  const serveJobLog = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, rawId: string) => {
    if (!authorized(req, url)) return sendText(res, 401, TOKEN_REQUIRED);
    const id = routeId(rawId);
    if (!id) return sendText(res, 400, 'Bad job id');
    try {
      await opts.core.api.jobs.get({ id });
    } catch (err) {
      if (err instanceof NotFound) return sendText(res, 404, err.message);
      throw err;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': contentDisposition(`job-${id}.log`),
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    for (let afterId = 0; ; ) {
      const lines = await opts.core.api.jobs.logs({ id, afterId, limit: LOG_PAGE });
      if (lines.length === 0) break;
      res.write(lines.map(logFileLine).join(''));
      afterId = lines[lines.length - 1].id;
      if (lines.length < LOG_PAGE) break;
    }
    res.end();
  };

  /** Streams a run artifact's file; the token is required, and the core confines the file to the data directory. */
  const serveArtifact = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, rawId: string) => {
    if (!authorized(req, url)) return sendText(res, 401, TOKEN_REQUIRED);
    const id = routeId(rawId);
    if (!id) return sendText(res, 400, 'Bad artifact id');
    let file;
    try {
      file = await opts.core.api.runs.artifact({ id });
    } catch (err) {
      if (err instanceof NotFound) return sendText(res, 404, err.message);
      if (err instanceof TrainyardError) return sendText(res, 403, err.message);
      throw err;
    }
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': file.mime,
      'Content-Length': file.sizeBytes,
      'Content-Disposition': contentDisposition(file.filename),
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') return res.end();
    const stream = createReadStream(file.file);
    stream.on('error', () => res.destroy());
    stream.pipe(res);
  };

  const server = http.createServer((req, res) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendText(res, 400, 'Bad request');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed');
    }
    if (url.pathname === '/healthz') return sendText(res, 200, JSON.stringify({ ok: true }), 'application/json; charset=utf-8');
    if (url.pathname === '/rpc') return sendText(res, 426, 'This address takes WebSocket connections only');
    if (url.pathname === '/metrics') {
      if (!authorized(req, url)) return sendText(res, 401, TOKEN_REQUIRED);
      metricsBody().then(
        (body) => sendText(res, 200, body, METRICS_CONTENT_TYPE),
        (err: unknown) => {
          log('error', 'Answering /metrics failed', { error: err });
          sendText(res, 500, 'Internal error');
        },
      );
      return;
    }
    const artifact = ARTIFACT_ROUTE.exec(url.pathname);
    if (artifact) {
      serveArtifact(req, res, url, artifact[1]).catch((err: unknown) => {
        log('error', 'Serving an artifact failed', { artifactId: artifact[1], error: err });
        if (!res.headersSent) sendText(res, 500, 'Internal error');
        else res.destroy();
      });
      return;
    }
    const jobLog = JOB_LOG_ROUTE.exec(url.pathname);
    if (jobLog) {
      serveJobLog(req, res, url, jobLog[1]).catch((err: unknown) => {
        log('error', 'Serving a job log failed', { jobId: jobLog[1], error: err });
        if (!res.headersSent) sendText(res, 500, 'Internal error');
        else res.destroy();
      });
      return;
    }
    serveStatic(req, res, url.pathname).catch((err: unknown) => {
      log('error', 'Serving a file of the UI failed', { path: url.pathname, error: err });
      if (!res.headersSent) sendText(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, clientTracking: true });
  const alive = new WeakSet<WebSocket>();

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return refuse(socket, 400, 'Bad Request', 'Bad request');
    }
    if (url.pathname !== '/rpc') return refuse(socket, 404, 'Not Found', 'Not found');
    const given = url.searchParams.get('token');
    if (!given || !sameSecret(given, token)) {
      return refuse(socket, 401, 'Unauthorized', 'A valid token is required: open the URL that `trainyard serve` printed');
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin.toLowerCase())) {
      return refuse(socket, 403, 'Forbidden', 'This origin may not connect to Trainyard');
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    // Errors (an oversized message, a broken pipe) close the socket; the core stays up.
    ws.on('error', () => ws.terminate());
    alive.add(ws);
    ws.on('pong', () => alive.add(ws));
    serveConnection({ handlers: opts.core.api, events: opts.core.events, transport: jsonSocketTransport(ws) });
  });

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  await new Promise<void>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      clearInterval(heartbeat);
      if (err.code === 'EADDRINUSE') {
        reject(new InvalidInput(`Port ${opts.port ?? 0} on ${host} is already in use; choose another with --port`, 'port'));
      } else if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND') {
        reject(new InvalidInput(`Cannot listen on ${host}: no such address on this machine`, 'host'));
      } else reject(err);
    };
    server.once('error', onError);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (opts.port ?? 0);
  origins = ownOrigins(host, port, opts.allowedOrigins ?? []);

  const urlHost = isWildcardHost(host) ? '127.0.0.1' : hostForUrl(host);
  const url = `http://${urlHost}:${port}/?token=${encodeURIComponent(token)}`;
  const warning = isLoopbackHost(host)
    ? null
    : `Warning: listening on ${host}, reachable from other machines. Anyone with the token can train and read data; share it only over a network you trust (an SSH tunnel to 127.0.0.1 is safer).`;

  let metricsServer: MetricsServer | null = null;
  if (opts.metrics) {
    try {
      metricsServer = await startMetricsServer({ ...opts.metrics, text: metricsBody, isLoopback: isLoopbackHost, log: (message, error) => log('error', message, { error }) });
    } catch (err) {
      clearInterval(heartbeat);
      await new Promise<void>((r) => server.close(() => r()));
      throw err;
    }
  }

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= new Promise<void>((resolve) => {
      void metricsServer?.close();
      clearInterval(heartbeat);
      for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
      const force = setTimeout(() => {
        for (const ws of wss.clients) ws.terminate();
        server.closeAllConnections();
      }, 1000);
      force.unref();
      wss.close(() => {
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    }));

  return { url, port, host, token, warning, close, metricsUrl: metricsServer?.url ?? null };
}
