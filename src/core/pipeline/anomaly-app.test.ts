/**
 * An anomaly job through the whole core, as every face submits one: a Parquet upload in base64,
 * a job naming its label column, a real worker process, the run's metrics and files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import type { Job } from '../../shared/contract';
import { createClient, createMemoryPair, serveConnection, type Client } from '../../shared/rpc';
import { createApp, type CoreApp } from '../app';
import { forkLauncher } from '../workers';
import { datasetFile } from './testing';

const FINAL = ['completed', 'failed', 'cancelled'];

function waitFor(client: Client, id: string): Promise<Job> {
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      client.api.jobs.get({ id }).then((j) => {
        if (FINAL.includes(j.status)) {
          clearInterval(poll);
          resolve(j);
        }
      }, reject);
    }, 200);
  });
}

/** The anomaly sample as Parquet bytes: TIMESTAMP, DOUBLE and INT32 columns. */
function sampleAsParquet(): Buffer {
  const rows = readFileSync(datasetFile('seattle-temperature-anomalies.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(','));
  return Buffer.from(
    parquetWriteBuffer({
      columnData: [
        { name: 'date', data: rows.map((r) => new Date(`${r[0]}Z`)), type: 'TIMESTAMP' },
        { name: 'temperature', data: Float64Array.from(rows, (r) => Number(r[1])), type: 'DOUBLE' },
        { name: 'anomaly', data: Int32Array.from(rows, (r) => Number(r[2])), type: 'INT32' },
      ],
    }),
  );
}

describe('anomaly job through the core', () => {
  let core: CoreApp;
  let client: Client;
  let cleanup: () => void;

  beforeAll(async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    core = await createApp({ dataDir: t.dir, cancelGraceMs: 2000, launcher: forkLauncher });
    const [a, b] = createMemoryPair();
    serveConnection({ handlers: core.api, events: core.events, transport: a });
    client = createClient(b);
  });
  afterAll(async () => {
    client?.close();
    await core?.close();
    cleanup?.();
  });

  it('trains an isolation forest on a Parquet upload in a worker and records its anomaly metrics and scores', async () => {
    const bytes = sampleAsParquet();
    const d = await client.api.datasets.import({
      source: { kind: 'content', filename: 'temperatures.parquet', text: bytes.toString('base64'), encoding: 'base64' },
    });
    expect(d).toMatchObject({ name: 'temperatures', rows: 8759, timeColumn: 'date' });

    const job = await client.api.jobs.create({
      spec: { kind: 'train', datasetId: d.id, target: 'temperature', model: 'isolation_forest', labelColumn: 'anomaly', params: { trees: 50 } },
    });
    const done = await waitFor(client, job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const run = await client.api.runs.get({ id: done.runId! });
    expect(run.params).toMatchObject({ trees: 50, sampleSize: 256 });
    for (const key of ['test.precision', 'test.recall', 'test.f1', 'test.roc_auc', 'test.pr_auc', 'random.pr_auc', 'threshold']) {
      expect(Number.isFinite(run.summary[key]), key).toBe(true);
    }
    expect(run.summary['test.pr_auc']).toBeGreaterThan(run.summary['random.pr_auc']);
    const scores = run.artifacts.find((a) => a.kind === 'scores');
    expect(scores && existsSync(scores.path)).toBe(true);
    expect(readFileSync(scores!.path, 'utf8').split('\n')[0]).toBe('time,value,score,threshold,flagged,label,part');
  });

  it('refuses at submit an anomaly job whose params or label column are wrong', async () => {
    const d = await client.api.datasets.import({ source: { kind: 'sample', file: 'seattle-temperature-anomalies.csv' } });
    const spec = { kind: 'train' as const, datasetId: d.id, target: 'temperature', model: 'autoencoder' as const };
    await expect(client.api.jobs.create({ spec: { ...spec, labelColumn: 'label' } })).rejects.toMatchObject({
      code: 'InvalidInput',
      field: 'spec.labelColumn',
    });
    await expect(client.api.jobs.create({ spec: { ...spec, params: { bottleneck: 0 } } })).rejects.toMatchObject({
      code: 'InvalidInput',
      field: 'params.bottleneck',
    });
  });
});
