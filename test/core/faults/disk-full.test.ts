/**
 * A full disk during a job: a real tmpfs is the data directory and a filler file takes the last of
 * its space while a job trains. The job ends failed saying the disk is full, the core stays up, a
 * submit on the full disk is refused with the same clear words, and once space returns work resumes.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type CoreApp } from '../../../src/core/app';
import { openStore } from '../../../src/core/store';
import type { Job } from '../../../src/shared/contract';
import { createClient, createMemoryPair, serveConnection, type Client } from '../../../src/shared/rpc';
import { fillDisk, mountTmpfs } from '../../helpers/tmpfs';

const FINAL = ['completed', 'failed', 'cancelled'];

async function waitFor(core: Client, id: string, until: (j: Job) => boolean): Promise<Job> {
  for (;;) {
    const j = await core.api.jobs.get({ id });
    if (until(j)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const mount = mountTmpfs('24m');
const skip = typeof mount === 'string' ? mount : null;
const mountPoint = typeof mount === 'string' ? '' : mount.path;

describe.skipIf(skip !== null)(`disk full ${skip ?? ''}`, () => {
  const dataDir = join(mountPoint, 'data');
  const filler = join(mountPoint, 'filler');
  let app: CoreApp;
  let core: Client;
  let datasetId: string;

  beforeAll(async () => {
    app = await createApp({ dataDir, systemSampleMs: 0 });
    const [a, b] = createMemoryPair();
    serveConnection({ handlers: app.api, events: app.events, transport: a });
    core = createClient(b);
    datasetId = (await core.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } })).id;
  });
  afterAll(async () => {
    core?.close();
    await app?.close();
    if (typeof mount !== 'string') mount.unmount();
  });

  it('fails the job saying the disk is full, refuses submits clearly, and resumes when space returns', async () => {
    const job = await core.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', model: 'mlp', params: { epochs: 400, patience: 400 } } });
    await waitFor(core, job.id, (j) => j.status === 'running' && j.progress.step === 'train');
    fillDisk(filler);

    const done = await waitFor(core, job.id, (j) => FINAL.includes(j.status));
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/disk holding .* is full/);

    const refused = await core.api.jobs.create({ spec: { kind: 'noop', sleepMs: 10 } }).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(refused?.message).toMatch(/disk holding .* is full/);
    expect(refused?.message).not.toMatch(/rollback/);

    rmSync(filler);
    const again = await core.api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', model: 'linear', params: {} } });
    const finished = await waitFor(core, again.id, (j) => FINAL.includes(j.status));
    expect(finished.status, finished.error ?? '').toBe('completed');
    const run = await core.api.runs.get({ id: finished.runId! });
    expect(run.status).toBe('completed');
  }, 120_000);

  it('a transaction that meets a full disk fails saying so, not "cannot rollback - no transaction is active"', async () => {
    mkdirSync(join(mountPoint, 'other'));
    const store = openStore(join(mountPoint, 'other', 'trainyard.db'));
    fillDisk(filler);
    try {
      const big = 'x'.repeat(256 * 1024);
      const failed = await store.db
        .transaction()
        .execute(async (trx) => {
          for (let i = 0; i < 32; i++) await trx.insertInto('settings').values({ key: `k${i}`, value: JSON.stringify(big) }).execute();
        })
        .then(
          () => null,
          (err: unknown) => err as Error,
        );
      expect(failed?.message).toMatch(/disk holding .*other is full/);
      expect(failed?.message).not.toMatch(/rollback/);
    } finally {
      rmSync(filler);
      await store.close();
    }
    // With room again, the same store writes.
    expect(store.raw.open).toBe(false);
    const reopened = openStore(join(mountPoint, 'other', 'trainyard.db'));
    await reopened.db.insertInto('settings').values({ key: 'after', value: '1' }).execute();
    await reopened.close();
  }, 60_000);
});
