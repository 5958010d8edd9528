/** Migration 008 on a database from before it: jobs and studies kept (on this machine), the clusters table enforcing its kind. */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import { MIGRATIONS, migrate, openStore, toJob, type JobRow } from '../store';

const tmp = tempDirPerTest();

describe('the clusters migration', () => {
  it('upgrades a version-6 database: its jobs and studies stay, on this machine', async () => {
    const file = join(tmp(), 'trainyard.db');
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 6));
    raw
      .prepare(
        `INSERT INTO jobs (id, kind, status, priority, priority_rank, spec, progress_fraction, attempt, created_at, updated_at, resources, retry_policy, after_ids, gpu_indices, crashes, size_key)
         VALUES ('j', 'noop', 'completed', 'normal', 2, '{"kind":"noop","sleepMs":0}', 1, 1, 1, 1, '{"gpus":0,"cpuSlots":1,"memoryMB":64}', '{"maxAttempts":1,"backoffMs":0}', '[]', '[]', 0, '')`,
      )
      .run();
    raw.prepare("INSERT INTO studies (id, name, status, spec, train, priority, pending, created_at, updated_at) VALUES ('s', 'kept', 'completed', '{}', '{}', 'normal', '[]', 1, 2)").run();
    raw.close();

    const store = openStore(file);
    const job = toJob(store.raw.prepare("SELECT * FROM jobs WHERE id = 'j'").get() as JobRow);
    expect(job).toMatchObject({ id: 'j', status: 'completed', cluster: null, clusterJobId: null, clusterState: null });
    expect(store.raw.prepare("SELECT name, cluster FROM studies WHERE id = 's'").get()).toEqual({ name: 'kept', cluster: null });
    expect(() => store.raw.prepare("INSERT INTO clusters (name, kind, workdir, max_in_flight, created_at) VALUES ('k8s', 'kubernetes', '/w', 1, 1)").run()).toThrow(/CHECK constraint failed/);
    await store.close();
  });
});
