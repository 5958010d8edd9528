/**
 * A job's log downloads from `trainyard serve` as text: a real core trains a linear model in a worker,
 * and the route streams every line it logged. The token is required; an unknown job is a 404.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tmp';
import { createApp } from '../core/app';
import type { Job } from '../shared/contract';
import { createClient, createMemoryPair, serveConnection, type Client } from '../shared/rpc';
import { startServer, type RunningServer } from './index';

let t: ReturnType<typeof tempDir>;
let core: Awaited<ReturnType<typeof createApp>>;
let client: Client;
let server: RunningServer;

beforeAll(async () => {
  t = tempDir();
  const rendererDir = path.join(t.dir, 'renderer');
  fs.mkdirSync(rendererDir, { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html>');
  core = await createApp({ dataDir: path.join(t.dir, 'data') });
  const [a, b] = createMemoryPair();
  serveConnection({ handlers: core.api, events: core.events, transport: a });
  client = createClient(b);
  server = await startServer({ core, rendererDir });
});

afterAll(async () => {
  await server?.close();
  await core?.close();
  t?.cleanup();
});

function get(rawPath: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: rawPath }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function ended(id: string): Promise<Job> {
  for (;;) {
    const job = await client.api.jobs.get({ id });
    if (['completed', 'failed', 'cancelled'].includes(job.status)) return job;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('job log download', () => {
  it('streams every line of a finished job as text, as an attachment', async () => {
    const d = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId: d.id, target: 'CO2', model: 'linear' } });
    expect((await ended(job.id)).status).toBe('completed');
    const lines = await client.api.jobs.logs({ id: job.id });
    expect(lines.length).toBeGreaterThan(0);
    const res = await get(`/api/jobs/${job.id}/log?token=${server.token}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.headers['content-disposition']).toContain(`job-${job.id}.log`);
    const got = res.body.trimEnd().split('\n');
    expect(got).toHaveLength(lines.length);
    expect(got[0]).toBe(`${new Date(lines[0].ts).toISOString()} ${lines[0].level} ${lines[0].message}`);
  });

  it('requires the token and answers 404 for a job that does not exist', async () => {
    const job = (await client.api.jobs.list({}))[0];
    expect((await get(`/api/jobs/${job.id}/log`)).status).toBe(401);
    expect((await get(`/api/jobs/${job.id}/log?token=wrong`)).status).toBe(401);
    expect((await get(`/api/jobs/01NOSUCHJOB0000000000000000/log?token=${server.token}`)).status).toBe(404);
  });
});
