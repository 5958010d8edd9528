/**
 * The desktop app's worker launcher (utilityProcess) keeps the pool's contract: orphan records, a
 * clean exit when the parent goes away, messages queued before the process is up and dropped after.
 *
 * The same contract runs against each `UtilityFork` there is here. On a machine without Electron
 * that is a child_process.fork stand-in that behaves as a utilityProcess does (no pid before 'spawn',
 * exit codes only, nothing of the module on the command line); Electron's own runs only inside
 * Electron, where vitest does not, so that case is reported as skipped with the reason.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { PidRecords, WorkerPool, type WorkerLauncher } from '../../src/core/workers';
import { utilityWorkerLauncher, type UtilityFork } from '../../src/main/utility-process';
import { created, standInFork } from '../fixtures/utility-process-standin';
import { tempDirPerTest } from '../helpers/tmp';

const tmp = tempDirPerTest('trainyard-utility-');
const workerSource = fileURLToPath(new URL('../../src/worker/index.ts', import.meta.url));
const pools: WorkerPool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.closeAll()));
  for (const p of created.splice(0)) p.child.kill('SIGKILL');
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`gave up waiting until ${what}`);
}

/** A pool over `launcher` whose running noop task is recorded in `dir`. */
function poolWithRecords(launcher: WorkerLauncher, dir: string) {
  const pidRecords = new PidRecords(dir);
  const pool = new WorkerPool({ launcher, pidRecords, idleMs: 0 });
  pools.push(pool);
  return { pool, pidRecords };
}

/** A worker busy with a long task, once the pool has recorded it. */
async function longRunningWorker(launcher: WorkerLauncher) {
  const dir = tmp();
  const { pool } = poolWithRecords(launcher, dir);
  const task = pool.run((api) => api.noop({ jobId: 'j1', sleepMs: 60_000 }));
  task.result.catch(() => undefined);
  await until(() => readdirSync(dir).length === 1, 'the worker is recorded');
  return { dir, task, pid: Number(readdirSync(dir)[0]) };
}

function launcherContract(name: string, fork: UtilityFork | null, skipReason: string | null) {
  describe.skipIf(skipReason !== null)(`worker launcher over ${name}${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
    const launcher = () => utilityWorkerLauncher(fork!, () => workerSource);

    it('runs a task through the pool, and records the worker once it has a pid', async () => {
      const dir = tmp();
      const { pool } = poolWithRecords(launcher(), dir);
      const task = pool.run((api) => api.noop({ jobId: 'j1', sleepMs: 1500 }));
      // A utilityProcess has no pid before 'spawn': the record is written when it has one.
      await until(() => readdirSync(dir).length === 1, 'the worker is recorded');
      const [name] = readdirSync(dir);
      const rec = JSON.parse(readFileSync(join(dir, name), 'utf8')) as { pid: number; procStart?: string };
      expect(rec.pid).toBe(Number(name));
      expect(alive(rec.pid)).toBe(true);
      if (process.platform === 'linux') expect(rec.procStart).toMatch(/^\d+$/);
      expect((await task.result).sleptMs).toBeGreaterThanOrEqual(1500);
      await until(() => readdirSync(dir).length === 0, 'the record is removed after the worker ends');
    });

    it('leaves a worker a later core recognises as an orphan and ends', async () => {
      const { dir, task, pid } = await longRunningWorker(launcher());
      if (process.platform === 'linux') {
        // Nothing of the worker is on its command line: it is known by its environment marker.
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        expect(cmdline).not.toContain('--trainyard-worker');
        expect(cmdline).not.toContain('worker/index.ts');
      }
      // A later core (the records only: this one is still running) ends it.
      expect(new PidRecords(dir).reapOrphans()).toEqual([pid]);
      await until(() => !alive(pid), 'the orphan is gone');
      await expect(task.result).rejects.toThrow();
    });

    it('leaves alone a recorded pid that is not a Trainyard worker', async () => {
      const dir = tmp();
      const other = spawn('sleep', ['30'], { stdio: 'ignore' });
      try {
        await until(() => other.pid !== undefined, 'sleep has started');
        writeFileSync(join(dir, String(other.pid)), JSON.stringify({ pid: other.pid, startedAt: Date.now(), marker: 'worker' }));
        expect(new PidRecords(dir).reapOrphans()).toEqual([]);
        expect(alive(other.pid!)).toBe(true);
      } finally {
        other.kill('SIGKILL');
      }
    });

    it('leaves alone a worker whose recorded start time is not its own (a reused pid)', async () => {
      const { dir, pid } = await longRunningWorker(launcher());
      const file = join(dir, String(pid));
      const rec = JSON.parse(readFileSync(file, 'utf8')) as { procStart?: string };
      if (!rec.procStart) return; // no /proc here: nothing to compare
      writeFileSync(file, JSON.stringify({ ...rec, procStart: String(Number(rec.procStart) + 1) }));
      expect(new PidRecords(dir).reapOrphans()).toEqual([]);
      expect(alive(pid)).toBe(true);
    });

    it('queues messages sent before the process is up, drops those after it exited, and reports the signal it sent', async () => {
      const handle = launcher()({ env: {} });
      expect(handle.pid).toBeUndefined();
      // Sent at once, before 'spawn': the worker answers it once it is up (a comlink call over the rpc channel).
      const answered = new Promise<unknown>((resolve) => handle.onMessage((m) => m.ch === 'rpc' && resolve(m.m)));
      handle.send({ ch: 'rpc', m: { id: 'x', type: 'GET', path: ['noop'] } });
      expect(await answered).toMatchObject({ id: 'x' });
      const pid = await new Promise<number>((resolve) => handle.onSpawn!(resolve));
      expect(pid).toBe(handle.pid);
      const exited = new Promise<[number | null, string | null]>((resolve) => handle.onExit((code, signal) => resolve([code, signal])));
      handle.kill('SIGTERM');
      const [, signal] = await exited;
      expect(signal).toBe('SIGTERM');
      expect(() => handle.send({ ch: 'rpc', m: {} })).not.toThrow();
      expect(alive(pid)).toBe(false);
    });
  });
}

launcherContract('a child_process.fork stand-in for utilityProcess', standInFork, null);
launcherContract('Electron utilityProcess', null, 'Electron utilityProcess exists only inside an Electron process; this runs in Node (the launch test drives the real one where Electron is installed)');

describe('worker exit when the parent goes away (stand-in)', () => {
  it('exits cleanly when its parent channel closes', async () => {
    const handle = utilityWorkerLauncher(standInFork, () => workerSource)({ env: {} });
    const exited = new Promise<number | null>((resolve) => handle.onExit((code) => resolve(code)));
    await new Promise<void>((resolve) => handle.onMessage(() => resolve()));
    created[created.length - 1].child.disconnect();
    expect(await exited).toBe(0);
  });
});
