/**
 * Artifact downloads from `trainyard serve`: a real core over a data dir seeded with a run and its
 * artifacts, a real server. The token is required; a stored path or a link that leads out of the
 * data directory is refused; a missing file is a 404; the bytes arrive whole, as an attachment.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp';
import { createApp } from '../core/app';
import { dataPaths } from '../core/paths';
import { openStore } from '../core/store';
import { Tracking } from '../core/tracking';
import { contentDisposition, startServer, type RunningServer } from './index';

type CoreApp = Awaited<ReturnType<typeof createApp>>;

let t: ReturnType<typeof tempDir>;
let core: CoreApp;
let server: RunningServer;
const ids: Record<string, string> = {};
const WEIGHTS = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 31) % 256));

beforeAll(async () => {
  t = tempDir();
  const dataDir = path.join(t.dir, 'data');
  const rendererDir = path.join(t.dir, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  const outside = path.join(t.dir, 'secret.txt');
  fs.writeFileSync(outside, 'SECRET OUTSIDE THE DATA DIR');

  // One writer: the run and its artifacts are written before the app opens the database.
  fs.mkdirSync(dataDir, { recursive: true });
  const store = openStore(dataPaths(dataDir).db);
  const tracking = new Tracking(store, { dataDir });
  const runId = await tracking.startRun({ experiment: 'Default', jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: {} });
  const folder = path.join(dataPaths(dataDir).models, runId);
  fs.mkdirSync(folder, { recursive: true });
  const files = {
    weights: path.join(folder, 'weights.bin'),
    card: path.join(folder, 'card "v1" ü.json'),
    gone: path.join(folder, 'gone.json'),
    link: path.join(folder, 'link.txt'),
  };
  fs.writeFileSync(files.weights, WEIGHTS);
  fs.writeFileSync(files.card, '{"ok":true}');
  fs.symlinkSync(outside, files.link);
  await tracking.addArtifacts(runId, [
    { kind: 'weights', path: files.weights, sizeBytes: WEIGHTS.length, sha256: 'x' },
    { kind: 'card', path: files.card, sizeBytes: 11, sha256: 'x' },
    { kind: 'file', path: files.gone, sizeBytes: 1, sha256: 'x' },
    { kind: 'file', path: files.link, sizeBytes: 1, sha256: 'x' },
    { kind: 'file', path: outside, sizeBytes: 1, sha256: 'x' },
    { kind: 'file', path: '../secret.txt', sizeBytes: 1, sha256: 'x' },
  ]);
  const run = await tracking.get(runId);
  const byPath = (p: string) => run.artifacts.find((a) => a.path === p)!.id;
  Object.assign(ids, {
    weights: byPath(files.weights),
    card: byPath(files.card),
    gone: byPath(files.gone),
    link: byPath(files.link),
    outside: byPath(outside),
    relative: byPath('../secret.txt'),
  });
  await store.close();

  core = await createApp({ dataDir, scheduler: false });
  server = await startServer({ core, rendererDir });
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  t?.cleanup();
});

function get(rawPath: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

const url = (id: string, token: string | null = server.token) => `/api/artifacts/${encodeURIComponent(id)}${token === null ? '' : `?token=${token}`}`;

describe('artifact downloads', () => {
  it('streams the file whole, as an attachment, with the token in the query or as a bearer', async () => {
    const res = await get(url(ids.weights));
    expect(res.status).toBe(200);
    expect(res.body.equals(WEIGHTS)).toBe(true);
    expect(res.headers['content-length']).toBe(String(WEIGHTS.length));
    expect(res.headers['content-disposition']).toBe('attachment; filename="weights.bin"; filename*=UTF-8\'\'weights.bin');
    expect(res.headers['content-security-policy']).toBeTruthy();

    const bearer = await get(url(ids.card, null), { Authorization: `Bearer ${server.token}` });
    expect(bearer.status).toBe(200);
    expect(bearer.body.toString()).toBe('{"ok":true}');
    expect(bearer.headers['content-type']).toMatch(/json/);
    expect(bearer.headers['content-disposition']).toContain(`filename*=UTF-8''card%20%22v1%22%20%C3%BC.json`);

    const head = await get(url(ids.weights), {}, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('refuses without the token or with a wrong one', async () => {
    expect((await get(url(ids.weights, null))).status).toBe(401);
    const wrong = await get(url(ids.weights, 'f'.repeat(64)));
    expect(wrong.status).toBe(401);
    expect(wrong.body.toString()).not.toContain(server.token);
    expect((await get(url(ids.weights, null), { Authorization: 'Bearer nope' })).status).toBe(401);
  });

  it('never reads outside the data directory, whatever the stored path or a link says', async () => {
    for (const id of [ids.outside, ids.relative, ids.link]) {
      const res = await get(url(id));
      expect(res.status, id).toBe(403);
      expect(res.body.toString()).not.toContain('SECRET');
    }
  });

  it('answers 404 for an unknown artifact or a file that is gone, and 400 for a malformed id', async () => {
    expect((await get(url('no-such-artifact'))).status).toBe(404);
    const gone = await get(url(ids.gone));
    expect(gone.status).toBe(404);
    expect(gone.body.toString()).toContain('gone.json');
    expect((await get(`/api/artifacts/%E0%A4%A?token=${server.token}`)).status).toBe(400);
    expect((await get(url('x'.repeat(65)))).status).toBe(400);
  });
});

describe('artifacts through the API (the desktop app)', () => {
  it('hands over the bytes in base64 and refuses what lies outside', async () => {
    const content = await core.api.runs.artifactContent({ id: ids.weights });
    expect(content).toMatchObject({ filename: 'weights.bin', sizeBytes: WEIGHTS.length });
    expect(Buffer.from(content.base64, 'base64').equals(WEIGHTS)).toBe(true);
    await expect(core.api.runs.artifactContent({ id: ids.link })).rejects.toMatchObject({ code: 'InvalidInput' });
    await expect(core.api.runs.artifact({ id: 'nope' })).rejects.toMatchObject({ code: 'NotFound' });
  });
});

it('writes an ASCII fallback name and the UTF-8 one', () => {
  expect(contentDisposition('a"b\\c ü(1).csv')).toBe(`attachment; filename="a_b_c _(1).csv"; filename*=UTF-8''a%22b%5Cc%20%C3%BC%281%29.csv`);
});
