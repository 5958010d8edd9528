/**
 * Crash recovery: the core process is killed with SIGKILL while jobs run. A new core on the same data
 * directory ends the orphaned workers, re-queues the interrupted jobs, and every job is accounted for
 * exactly once: none lost, none run to completion twice, none left running.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../helpers/tmp';
import { coresPerTest, isAlive, startCoreProcess, until } from './harness';

const CORE = fileURLToPath(new URL('../../fixtures/core-process.ts', import.meta.url));
// After each test, hooks run last-registered first: the core closes before its data dir is removed.
const tmp = tempDirPerTest();
const startCore = coresPerTest();

/** A core in its own process running five jobs, two at a time, in workers that linger. */
const startJobsProcess = (dataDir: string) =>
  startCoreProcess<{ ids: string[]; running: string[] }>(CORE, { DATA_DIR: dataDir, JOBS: '5', SLEEP_MS: '1500', FAULT: 'linger' });

describe('crash recovery', () => {
  it('survives SIGKILL of the core: orphans ended, running jobs re-queued, every job completed exactly once', async () => {
    const dir = tmp();
    const first = await startJobsProcess(dir);
    expect(first.running).toHaveLength(2);
    const workerPids = readdirSync(join(dir, 'workers')).map(Number);
    expect(workerPids.length).toBeGreaterThanOrEqual(2);

    process.kill(first.pid, 'SIGKILL');
    await until(() => !isAlive(first.pid));
    // The workers outlived their core: orphans, still holding memory and maybe a GPU.
    expect(workerPids.filter(isAlive).length).toBeGreaterThanOrEqual(2);

    const h = await startCore({ dataDir: dir, maxConcurrent: 2, fault: '' });
    await until(() => workerPids.every((p) => !isAlive(p)));

    for (const id of first.running) {
      const timeline = await h.api.jobs.transitions({ id });
      expect(timeline.map((x) => `${x.from ?? '-'}>${x.to}`).slice(0, 4)).toEqual(['->queued', 'queued>running', 'running>queued', 'queued>running']);
      expect(timeline[2].cause).toMatch(/^interrupted: Trainyard stopped while it ran; re-queued/);
    }
    const done = await h.drain(first.ids);
    expect(done.map((j) => j.status)).toEqual(first.ids.map(() => 'completed'));
    const all = await h.api.jobs.list({ limit: 100 });
    expect(all.map((j) => j.id).sort()).toEqual([...first.ids].sort()); // none lost, none duplicated
    for (const id of first.ids) {
      const timeline = await h.api.jobs.transitions({ id });
      expect(timeline.filter((x) => x.to === 'completed')).toHaveLength(1);
    }
    const stats = await h.api.queue.stats({});
    expect(stats.counts).toMatchObject({ completed: 5, running: 0, queued: 0, failed: 0 });
  });
});
