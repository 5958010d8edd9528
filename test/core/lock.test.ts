import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/core/app';
import { acquireLock, readLock } from '../../src/core/lock';
import { dataPaths } from '../../src/core/paths';
import { CORE_LOG_FILE } from '../../src/core/log';
import { tempDir } from '../helpers/tmp';

describe('data directory lock', () => {
  it('a second core on the same data directory is refused while the first runs', async () => {
    const t = tempDir();
    const first = await createApp({ dataDir: t.dir, scheduler: false });
    // The lock names this process, which readLock ignores for itself; a second acquire must still fail.
    expect(() => acquireLock(t.dir)).toThrow(/in use by Trainyard process/);
    await first.close();
    const second = await createApp({ dataDir: t.dir, scheduler: false });
    await second.close();
    t.cleanup();
  });

  it('takes over a stale lock left by a dead process', () => {
    const t = tempDir();
    writeFileSync(dataPaths(t.dir).lock, JSON.stringify({ pid: 2 ** 22 + 12345, startedAt: 0 }));
    expect(readLock(t.dir)).toBeNull();
    const lock = acquireLock(t.dir);
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
    t.cleanup();
  });
});

describe('a lock whose pid now belongs to another process', () => {
  const live: ChildProcess[] = [];
  afterEach(() => live.splice(0).forEach((p) => p.kill('SIGKILL')));

  function otherProcess(): number {
    const p = spawn('sleep', ['60'], { stdio: 'ignore' });
    live.push(p);
    return p.pid!;
  }

  it.skipIf(!existsSync('/proc/self/stat'))('is stale when the process is not Trainyard (an old lock of pid and time alone), and is taken over with a log line', () => {
    const t = tempDir();
    const pid = otherProcess();
    writeFileSync(dataPaths(t.dir).lock, JSON.stringify({ pid, startedAt: 0 }));
    expect(readLock(t.dir)).toBeNull();
    const lock = acquireLock(t.dir);
    expect(lock.info.pid).toBe(process.pid);
    const logged = readFileSync(join(dataPaths(t.dir).logs, CORE_LOG_FILE), 'utf8');
    expect(logged).toContain(`the stale lock of process ${pid}`);
    lock.release();
    t.cleanup();
  });

  it.skipIf(!existsSync('/proc/self/stat'))('is stale when the start time recorded in the lock is not that process’s (its pid was reused)', () => {
    const t = tempDir();
    const first = acquireLock(t.dir);
    const recorded = JSON.parse(readFileSync(dataPaths(t.dir).lock, 'utf8')) as Record<string, unknown>;
    expect(recorded.procStart).toEqual(expect.any(String));
    first.release();
    // The same record, as if its process had died and the kernel had given its pid to `sleep`.
    writeFileSync(dataPaths(t.dir).lock, JSON.stringify({ ...recorded, pid: otherProcess() }));
    expect(readLock(t.dir)).toBeNull();
    const lock = acquireLock(t.dir);
    expect(lock.info.pid).toBe(process.pid);
    lock.release();
    t.cleanup();
  });
});
