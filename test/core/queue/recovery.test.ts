/**
 * Crash recovery: the core process is killed with SIGKILL while jobs run. A new core on the same data
 * directory ends the orphaned workers, re-queues the interrupted jobs, and every job is accounted for
 * exactly once: none lost, none run to completion twice, none left running.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/tmp';
import { isAlive, startCore, until, type Harness } from './harness';

const CORE = fileURLToPath(new URL('../../fixtures/core-process.ts', import.meta.url));
let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function startCoreProcess(dataDir: string): Promise<{ pid: number; ids: string[]; running: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CORE], {
    env: { ...process.env, DATA_DIR: dataDir, JOBS: '5', SLEEP_MS: '1500', FAULT: 'linger' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ pid: child.pid!, ...(JSON.parse(line) as { ids: string[]; running: string[] }) });
    });
    child.on('exit', (code) => reject(new Error(`core process exited early with ${code}`)));
  });
}

describe('crash recovery', () => {
  it('survives SIGKILL of the core: orphans ended, running jobs re-queued, every job completed exactly once', async () => {
    const t = tempDir();
    const first = await startCoreProcess(t.dir);
    expect(first.running).toHaveLength(2);
    const workerPids = readdirSync(join(t.dir, 'workers')).map(Number);
    expect(workerPids.length).toBeGreaterThanOrEqual(2);

    process.kill(first.pid, 'SIGKILL');
    await until(() => !isAlive(first.pid));
    // The workers outlived their core: orphans, still holding memory and maybe a GPU.
    expect(workerPids.filter(isAlive).length).toBeGreaterThanOrEqual(2);

    h = await startCore({ dataDir: t.dir, maxConcurrent: 2, fault: '' });
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
    await h.close();
    h = undefined;
    t.cleanup();
  });
});
