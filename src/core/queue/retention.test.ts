import { afterEach, describe, expect, it } from 'vitest';
import { JobRepository, openStore, type Store } from '../store';
import { tempDir } from '../../../test/helpers/tmp';
import { sweepLogs, DEFAULT_RETENTION } from './retention';

const DAY = 86_400_000;
let store: Store | undefined;
let cleanup = () => undefined as void;
afterEach(async () => {
  await store?.close();
  cleanup();
});

async function job(jobs: JobRepository, id: string, status: 'completed' | 'failed' | 'running', finishedAt: number | null) {
  await jobs.insert({ id, spec: { kind: 'noop', sleepMs: 0 }, priority: 'normal', resources: { gpus: 0, cpuSlots: 1, memoryMB: 1 }, retryPolicy: { maxAttempts: 1, backoffMs: 0 }, after: [], attempt: 1, retryOf: null, sizeKey: '', estimateMs: null, createdAt: 0 });
  await jobs.update(id, { status, finished_at: finishedAt });
}

describe('log retention', () => {
  it('keeps completed jobs 90 days, failed 30, debug lines 7, and touches nothing younger', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    store = openStore(`${t.dir}/db.sqlite`);
    const jobs = new JobRepository(store.db);
    const now = 1000 * DAY;
    await job(jobs, 'old-ok', 'completed', now - 91 * DAY);
    await job(jobs, 'young-ok', 'completed', now - 89 * DAY);
    await job(jobs, 'old-fail', 'failed', now - 31 * DAY);
    await job(jobs, 'young-fail', 'failed', now - 29 * DAY);
    await job(jobs, 'live', 'running', null);
    for (const id of ['old-ok', 'young-ok', 'old-fail', 'young-fail', 'live']) {
      await jobs.appendLogs([
        { jobId: id, ts: now - 100 * DAY, level: 'info', message: 'old info' },
        { jobId: id, ts: now - 8 * DAY, level: 'debug', message: 'old debug' },
        { jobId: id, ts: now - 1 * DAY, level: 'debug', message: 'fresh debug' },
      ]);
    }
    const removed = await sweepLogs(jobs, DEFAULT_RETENTION, now);
    const left = async (id: string) => (await jobs.logs(id, 0, 100)).map((l) => l.message);
    expect(await left('old-ok')).toEqual([]);
    expect(await left('old-fail')).toEqual([]);
    expect(await left('young-ok')).toEqual(['old info', 'fresh debug']);
    expect(await left('young-fail')).toEqual(['old info', 'fresh debug']);
    expect(await left('live')).toEqual(['old info', 'fresh debug']);
    expect(removed).toBe(6 + 3);
  });
});
