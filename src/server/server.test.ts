/**
 * The browser face against a real core (SQLite in a temp dir) and a real server on a random port:
 * token and Origin checks on the WebSocket, typed errors for bad payloads on a connection that stays
 * usable, static files confined to the renderer folder, with security headers.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApp } from '../core/app';
import { TrainyardError } from '../shared/errors';
import type { Client } from '../shared/rpc/client';
import { connectToServer, rpcUrl } from './client';
import { isLoopbackHost, startServer, type RunningServer } from './index';

type CoreApp = Awaited<ReturnType<typeof createApp>>;

const SECRET = 'TOP-SECRET-OUTSIDE-THE-RENDERER';

let tmp: string;
let core: CoreApp;
let server: RunningServer;
let wsBase: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'trainyard-server-'));
  const dataDir = path.join(tmp, 'data');
  fs.mkdirSync(dataDir);
  // A small renderer folder of our own, with a secret beside it (outside it) to try to reach.
  const rendererDir = path.join(tmp, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Trainyard</title><div id="root"></div>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app-1234.js'), 'console.log("trainyard");');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app-1234.css'), 'body{margin:0}');
  fs.writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(rendererDir, 'link.txt'));

  core = await createApp({ dataDir, scheduler: false });
  server = await startServer({ core, rendererDir });
  wsBase = `ws://127.0.0.1:${server.port}/rpc`;
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** Opens a WebSocket and reports the handshake's outcome: 101 and the socket, or the refusal's status. */
function tryOpen(url: string, origin?: string): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      req.destroy();
    });
    ws.on('error', reject);
  });
}

/** A raw connection: sends any text, waits for messages matching a predicate. */
class RawConnection {
  private readonly seen: Record<string, unknown>[] = [];
  private waiters: { pred: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as Record<string, unknown>;
      const w = this.waiters.find((x) => x.pred(msg));
      if (w) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(msg);
      } else this.seen.push(msg);
    });
  }
  static async open(): Promise<RawConnection> {
    const { ws } = await tryOpen(`${wsBase}?token=${server.token}`);
    return new RawConnection(ws!);
  }
  send(data: string | object) {
    this.ws.send(typeof data === 'string' ? data : JSON.stringify(data));
  }
  next(pred: (m: Record<string, unknown>) => boolean, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    const i = this.seen.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.seen.splice(i, 1)[0]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching message')), timeoutMs);
      this.waiters.push({
        pred,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }
  result(id: number) {
    return this.next((m) => m.t === 'result' && m.id === id) as Promise<{
      ok: boolean;
      output?: Record<string, unknown>;
      error?: { code: string; message: string; field?: string };
    }>;
  }
  error() {
    return this.next((m) => m.t === 'error') as Promise<{ error: { code: string; message: string; field?: string } }>;
  }
  close() {
    this.ws.close();
  }
}

/** A raw HTTP GET that sends the path exactly as written (no client-side normalisation). */
function get(rawPath: string, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('WebSocket authentication', () => {
  it('refuses a wrong token with 401', async () => {
    expect((await tryOpen(`${wsBase}?token=${'0'.repeat(64)}`)).status).toBe(401);
    expect((await tryOpen(`${wsBase}?token=${server.token.slice(0, -1)}`)).status).toBe(401);
  });

  it('refuses a missing or empty token with 401', async () => {
    expect((await tryOpen(wsBase)).status).toBe(401);
    expect((await tryOpen(`${wsBase}?token=`)).status).toBe(401);
  });

  it('refuses a foreign Origin with 403, even with the right token', async () => {
    const url = `${wsBase}?token=${server.token}`;
    expect((await tryOpen(url, 'http://evil.example')).status).toBe(403);
    expect((await tryOpen(url, `http://evil.example:${server.port}`)).status).toBe(403);
    expect((await tryOpen(url, `http://127.0.0.1:${server.port + 1}`)).status).toBe(403);
    expect((await tryOpen(url, 'null')).status).toBe(403);
  });

  it("accepts the server's own origin and clients that send none", async () => {
    const url = `${wsBase}?token=${server.token}`;
    for (const origin of [`http://127.0.0.1:${server.port}`, `http://localhost:${server.port}`, undefined]) {
      const { status, ws } = await tryOpen(url, origin);
      expect(status).toBe(101);
      ws!.close();
    }
  });

  it('refuses upgrades on any path but /rpc', async () => {
    expect((await tryOpen(`ws://127.0.0.1:${server.port}/other?token=${server.token}`)).status).toBe(404);
  });

  it('works with the right token: system.info answers', async () => {
    const client = await connectToServer(server.url, server.token);
    const info = await client.api.system.info({});
    expect(info.dataDir).toBe(core.dataDir);
    expect(typeof info.version).toBe('string');
    client.close();
  });

  it('the client says plainly when the token is refused', async () => {
    await expect(connectToServer(server.url, 'wrong')).rejects.toThrow(/refused the token/);
  });

  it('prints a URL with the token, on loopback, without a warning', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(server.token).toMatch(/^[0-9a-f]{64}$/);
    expect(server.warning).toBeNull();
  });
});

describe('bad payloads get typed errors and the connection stays up', () => {
  let conn: RawConnection;
  beforeAll(async () => {
    conn = await RawConnection.open();
  });
  afterAll(() => conn.close());

  const stillAnswers = async (id: number) => {
    conn.send({ t: 'call', id, method: 'system.info', input: {} });
    const r = await conn.result(id);
    expect(r.ok).toBe(true);
    expect(r.output?.dataDir).toBe(core.dataDir);
  };

  it('text that is not JSON', async () => {
    conn.send('this is {not json');
    const { error } = await conn.error();
    expect(error.code).toBe('InvalidInput');
    expect(error.message).toMatch(/JSON/);
    await stillAnswers(1);
  });

  it('a message that is not an object', async () => {
    conn.send('[1, 2, 3]');
    expect((await conn.error()).error.code).toBe('InvalidInput');
    conn.send('42');
    expect((await conn.error()).error.code).toBe('InvalidInput');
    await stillAnswers(2);
  });

  it('a call without an id', async () => {
    conn.send({ t: 'call', method: 'system.info', input: {} });
    const { error } = await conn.error();
    expect(error).toMatchObject({ code: 'InvalidInput', field: 'id' });
    await stillAnswers(3);
  });

  it('an unknown message type', async () => {
    conn.send({ t: 'explode', id: 4 });
    expect((await conn.result(4)).error).toMatchObject({ code: 'InvalidInput', field: 't' });
    await stillAnswers(5);
  });

  it('an unknown method', async () => {
    conn.send({ t: 'call', id: 6, method: 'jobs.explode', input: {} });
    const r = await conn.result(6);
    expect(r.ok).toBe(false);
    expect(r.error?.code).toBe('NotFound');
    expect(r.error?.message).toContain('jobs.explode');
    conn.send({ t: 'call', id: 7, method: '__proto__.constructor', input: {} });
    expect((await conn.result(7)).error?.code).toBe('NotFound');
    await stillAnswers(8);
  });

  it('jobs.create with a spec missing its target names the field', async () => {
    conn.send({ t: 'call', id: 9, method: 'jobs.create', input: { spec: { kind: 'train', datasetId: 'x' } } });
    const r = await conn.result(9);
    expect(r.ok).toBe(false);
    expect(r.error).toMatchObject({ code: 'InvalidInput', field: 'spec.target' });
    await stillAnswers(10);
  });

  it('a field of the wrong type names the field', async () => {
    conn.send({ t: 'call', id: 11, method: 'jobs.list', input: { limit: 'ten' } });
    expect((await conn.result(11)).error).toMatchObject({ code: 'InvalidInput', field: 'limit' });
    conn.send({ t: 'call', id: 12, method: 'jobs.create', input: { spec: { kind: 'train', datasetId: 'x', target: 'CO2', params: { epochs: [1] } } } });
    const r = await conn.result(12);
    expect(r.error?.code).toBe('InvalidInput');
    expect(r.error?.field).toMatch(/^spec\.params\.epochs/);
    conn.send({ t: 'call', id: 13, method: 'system.info', input: { extra: true } });
    expect((await conn.result(13)).error?.code).toBe('InvalidInput');
    await stillAnswers(14);
  });

  it('an id that does not exist is NotFound', async () => {
    conn.send({ t: 'call', id: 15, method: 'jobs.get', input: { id: 'no-such-job' } });
    expect((await conn.result(15)).error?.code).toBe('NotFound');
    await stillAnswers(16);
  });

  it('an unknown event subscription', async () => {
    conn.send({ t: 'listen', event: 'everything' });
    expect((await conn.error()).error).toMatchObject({ code: 'InvalidInput', field: 'event' });
    await stillAnswers(17);
  });

  it('the typed client rebuilds the same errors', async () => {
    const client = await connectToServer(server.url, server.token);
    const err = await client.api.jobs
      .create({ spec: { kind: 'train', datasetId: 'x' } } as never)
      .then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(TrainyardError);
    expect((err as TrainyardError).code).toBe('InvalidInput');
    expect((err as TrainyardError).field).toBe('spec.target');
    expect((await client.api.system.info({})).dataDir).toBe(core.dataDir);
    client.close();
  });

  it('a message over 64 MiB closes that connection only; the server stays up', async () => {
    const big = await RawConnection.open();
    const closed = new Promise<number>((resolve) => big.ws.on('close', (code) => resolve(code)));
    big.send({ t: 'call', id: 1, method: 'system.info', input: { pad: 'x'.repeat(65 * 1024 * 1024) } });
    expect(await closed).toBe(1009);
    await stillAnswers(18);
  });
});

describe('events over the WebSocket', () => {
  it('a subscriber hears job.updated', async () => {
    const client: Client = await connectToServer(server.url, server.token);
    const dataset = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId: dataset.id, target: 'CO2', params: { epochs: 1 } } });
    const cancelled = new Promise((resolve) =>
      client.on('job.updated', (j) => {
        if (j.id === job.id && j.status === 'cancelled') resolve(j);
      }),
    );
    // Let the subscription reach the server before the change it is waiting for.
    await client.api.system.info({});
    await client.api.jobs.cancel({ id: job.id });
    await expect(cancelled).resolves.toMatchObject({ id: job.id, status: 'cancelled' });
    client.close();
  });
});

describe('static files', () => {
  it('serves index.html for / with security headers', async () => {
    const r = await get('/');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<div id="root">');
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("img-src 'self' data:");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content types', async () => {
    const js = await get('/assets/app-1234.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['content-security-policy']).toBeTruthy();
    expect((await get('/assets/app-1234.css')).headers['content-type']).toBe('text/css; charset=utf-8');
    expect((await get('/assets/missing.js')).status).toBe(404);
  });

  it('does not leak files outside the renderer folder', async () => {
    const attempts = [
      '/../package.json',
      '/../../package.json',
      '/%2e%2e/package.json',
      '/%2e%2e%2fpackage.json',
      '/%2e%2e%2f%2e%2e%2fpackage.json',
      '/assets/..%2f..%2fsecret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/%252e%252e%252fsecret.txt',
      '/link.txt',
      '/secret.txt%00.html',
      '//etc/passwd',
      `/${'..%2f'.repeat(12)}etc%2fpasswd`,
    ];
    for (const p of attempts) {
      const r = await get(p);
      expect(r.body, p).not.toContain(SECRET);
      expect(r.body, p).not.toContain('"dependencies"');
      expect(r.body, p).not.toMatch(/root:.*:0:0:/);
      expect(r.status, p).not.toBe(500);
    }
    expect((await get('/%2e%2e%2fsecret.txt')).status).toBe(404);
    expect((await get('/link.txt')).status).toBe(404);
  });

  it('exposes nothing else over HTTP', async () => {
    expect(await get('/healthz')).toMatchObject({ status: 200, body: '{"ok":true}' });
    expect((await get('/rpc')).status).toBe(426);
    expect((await get('/', 'POST')).status).toBe(405);
    expect((await get('/', 'DELETE')).status).toBe(405);
    expect((await get('/api/system.info')).body).not.toContain(core.dataDir);
  });
});

describe('binding', () => {
  it('knows loopback from the rest', () => {
    for (const h of ['127.0.0.1', 'localhost', '::1', '[::1]', '127.0.0.2']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', 'gpu-box']) expect(isLoopbackHost(h), h).toBe(false);
  });

  it('warns when listening beyond this machine, and shows a local URL', async () => {
    const wide = await startServer({ core, host: '0.0.0.0', rendererDir: path.join(tmp, 'renderer'), token: 'abc' });
    try {
      expect(wide.warning).toMatch(/reachable from other machines/);
      expect(wide.url).toBe(`http://127.0.0.1:${wide.port}/?token=abc`);
      const client = await connectToServer(wide.url, 'abc');
      expect((await client.api.system.info({})).dataDir).toBe(core.dataDir);
      client.close();
    } finally {
      await wide.close();
    }
  });

  it('says plainly when the port is taken', async () => {
    await expect(startServer({ core, port: server.port })).rejects.toThrow(/already in use/);
  });

  it('turns any page address into the RPC address', () => {
    expect(rpcUrl('http://127.0.0.1:8642/?token=old', 'new')).toBe('ws://127.0.0.1:8642/rpc?token=new');
    expect(rpcUrl('https://box.example/', 't')).toBe('wss://box.example/rpc?token=t');
  });
});
