/**
 * The core end to end, as every face uses it: through the contract over a transport, against a real
 * SQLite file and real worker processes training on a bundled dataset.
 */
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CoreApp } from '../../src/core/app';
import { forkLauncher, type WorkerHandle } from '../../src/core/workers';
import type { Job } from '../../src/shared/contract';
import { createClient, createMemoryPair, serveConnection, type Client } from '../../src/shared/rpc';
import { tempDir } from '../helpers/tmp';

const FINAL = ['completed', 'failed', 'cancelled'];

function connect(core: CoreApp): Client {
  const [a, b] = createMemoryPair();
  serveConnection({ handlers: core.api, events: core.events, transport: a });
  return createClient(b);
}

function waitFor(client: Client, id: string, until: (j: Job) => boolean = (j) => FINAL.includes(j.status)): Promise<Job> {
  return new Promise((resolve, reject) => {
    const off = client.on('job.updated', (j) => {
      if (j.id === id && until(j)) {
        off();
        clearInterval(poll);
        resolve(j);
      }
    });
    const poll = setInterval(() => {
      client.api.jobs.get({ id }).then((j) => {
        if (until(j)) {
          off();
          clearInterval(poll);
          resolve(j);
        }
      }, reject);
    }, 500);
  });
}

describe('core app', () => {
  let core: CoreApp;
  let client: Client;
  let cleanup: () => void;
  let datasetId: string;
  const handles: WorkerHandle[] = [];

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    core = await createApp({
      dataDir: t.dir,
      cancelGraceMs: 2000,
      launcher: (o) => {
        const h = forkLauncher(o);
        handles.push(h);
        return h;
      },
    });
    client = connect(core);
    const d = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    datasetId = d.id;
  });
  afterAll(async () => {
    client?.close();
    await core?.close();
    cleanup?.();
  });

  it('imports a sample with its fingerprint, column types and a preview', async () => {
    const d = await client.api.datasets.get({ id: datasetId });
    expect(d.rows).toBe(741);
    expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(d.timeColumn).toBe('Date');
    expect(d.columns.find((c) => c.name === 'CO2')?.type).toBe('number');
    const preview = await client.api.datasets.preview({ id: datasetId, limit: 3 });
    expect(preview.columns).toEqual(['Date', 'CO2', 'adjusted CO2']);
    expect(preview.rows).toHaveLength(3);
    // Same bytes again: the same dataset, not a duplicate.
    const again = await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    expect(again.id).toBe(datasetId);
    expect(await client.api.datasets.list({})).toHaveLength(1);
  });

  it('trains a job end to end: queued, running, completed, with logs, per-epoch metrics, test metrics and a saved model', async () => {
    const seen: string[] = [];
    const metricKeys = new Set<string>();
    const offJob = client.on('job.updated', (j) => seen.push(j.status));
    const offMetric = client.on('run.metric', (m) => metricKeys.add(m.key));
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', model: 'mlp', params: { epochs: 8 } } });
    expect(job.status).toBe('queued');
    const done = await waitFor(client, job.id);
    offJob();
    offMetric();
    expect(done.status, done.error ?? '').toBe('completed');
    expect(seen).toContain('running');
    expect(done.progress.fraction).toBe(1);
    expect(metricKeys).toContain('loss');
    expect(metricKeys).toContain('val_loss');

    const run = await client.api.runs.get({ id: done.runId! });
    expect(run.status).toBe('completed');
    expect(run.backend).toBeTruthy();
    expect(run.params.epochs).toBe(8);
    for (const key of ['test.mae', 'test.rmse', 'test.mape', 'test.r2', 'naive.mae', 'naive.rmse']) {
      expect(Number.isFinite(run.summary[key]), key).toBe(true);
    }
    const model = run.artifacts.find((a) => a.path.endsWith('model.json'));
    expect(model && existsSync(model.path)).toBe(true);
    const series = await client.api.runs.metrics({ id: run.id, keys: ['loss'] });
    expect(series[0].points.length).toBeGreaterThan(0);
    expect(series[0].points.length).toBeLessThanOrEqual(8);
    const logs = await client.api.jobs.logs({ id: job.id });
    expect(logs.map((l) => l.message).join('\n')).toMatch(/Completed on/);
  });

  it('keeps the best epoch’s val_loss as the run’s summary while the series keeps every epoch', async () => {
    // A large step makes the validation loss move about, so the best epoch is not the last.
    const params = { epochs: 12, patience: 0, learningRate: 0.05, seed: 1 };
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', model: 'mlp', params } });
    const done = await waitFor(client, job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const run = await client.api.runs.get({ id: done.runId! });
    const [series] = await client.api.runs.metrics({ id: run.id, keys: ['val_loss'] });
    const values = series.points.map((p) => p.value);
    expect(values).toHaveLength(12);
    expect(values.at(-1)).not.toBe(Math.min(...values));
    expect(run.summary.val_loss).toBe(Math.min(...values));
    expect(run.summary['val.mae']).toBeLessThan(run.summary['naive.val.mae']);
  });

  it('trains the default model, auto, recording each candidate’s validation metrics and the one it chose', async () => {
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', params: { epochs: 4 } } });
    expect(job.spec).toMatchObject({ model: 'auto' });
    const done = await waitFor(client, job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const run = await client.api.runs.get({ id: done.runId! });
    const chosen = String(run.params.chosen);
    expect(run.summary[`candidates.${chosen}.val.mae`]).toBe(run.summary['val.mae']);
    const candidates = Object.keys(run.summary).filter((k) => /^candidates\.[a-z0-9_]+\.val\.mae$/.test(k));
    expect(candidates.length).toBeGreaterThanOrEqual(5);
    for (const k of candidates) expect(run.summary[k]).toBeGreaterThanOrEqual(run.summary['val.mae']);
    expect(Number.isFinite(run.summary['test.skill'])).toBe(true);
  });

  it('refuses bad submissions with InvalidInput naming the field, and stays up', async () => {
    await expect(client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'nope' } })).rejects.toMatchObject({ code: 'InvalidInput', field: 'spec.target' });
    await expect(client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'Date' } })).rejects.toMatchObject({ code: 'InvalidInput', field: 'spec.target' });
    await expect(client.api.jobs.create({ spec: { kind: 'train', datasetId: 'missing', target: 'CO2' } })).rejects.toMatchObject({ code: 'InvalidInput', field: 'spec.datasetId' });
    await expect(client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', params: { epochs: -3 } } })).rejects.toMatchObject({ code: 'InvalidInput', field: 'params.epochs' });
    // @ts-expect-error: a wrong type on purpose
    await expect(client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 42 } })).rejects.toMatchObject({ code: 'InvalidInput', field: 'spec.target' });
    await expect(client.api.jobs.get({ id: 'nope' })).rejects.toMatchObject({ code: 'NotFound' });
    expect((await client.api.system.info({})).version).toMatch(/\d+\.\d+\.\d+/);
  });

  it('cancels a running job; it ends cancelled with its partial metrics kept, and can be retried', async () => {
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', model: 'mlp', params: { epochs: 400, patience: 400 } } });
    const firstMetric = new Promise<void>((resolve) => {
      const off = client.on('run.metric', (m) => {
        if (m.jobId === job.id) {
          off();
          resolve();
        }
      });
    });
    await firstMetric;
    await client.api.jobs.cancel({ id: job.id });
    const done = await waitFor(client, job.id);
    expect(done.status).toBe('cancelled');
    const run = await client.api.runs.get({ id: done.runId! });
    expect(run.status).toBe('cancelled');
    expect(run.summary.loss).toBeTypeOf('number');
    await expect(client.api.jobs.cancel({ id: job.id })).rejects.toMatchObject({ code: 'Conflict', message: `Job ${job.id} is cancelled; it cannot be cancelled` });
    const retry = await client.api.jobs.retry({ id: job.id });
    expect(retry).toMatchObject({ status: 'queued', attempt: 2, retryOf: job.id });
    await client.api.jobs.cancel({ id: retry.id });
    expect((await waitFor(client, retry.id)).status).toBe('cancelled');
  });

  it('a worker killed with SIGKILL fails only its job, with the cause; the next job still runs', async () => {
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', model: 'mlp', params: { epochs: 400, patience: 400 } } });
    await waitFor(client, job.id, (j) => j.status === 'running' && j.progress.step === 'train');
    const victim = handles[handles.length - 1];
    process.kill(victim.pid!, 'SIGKILL');
    const done = await waitFor(client, job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/SIGKILL/);
    const next = await client.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', params: { epochs: 2 } } });
    expect((await waitFor(client, next.id)).status).toBe('completed');
  });
});
