import { describe, expect, it } from 'vitest';
import { createApp } from '../../src/core/app';
import { acquireLock, readLock } from '../../src/core/lock';
import { dataPaths } from '../../src/core/paths';
import { writeFileSync } from 'node:fs';
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
