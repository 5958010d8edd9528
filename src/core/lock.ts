/**
 * One owner per data directory. The process that owns it runs the scheduler; others talk to it.
 * The lock is a file created with O_EXCL holding the owner's pid and, when it serves, its URL and
 * token (the file is private to the user, like Jupyter's runtime files). A lock whose pid is gone is
 * stale and taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Unavailable } from '../shared/errors';
import { dataPaths } from './paths';

export interface LockInfo {
  pid: number;
  startedAt: number;
  /** Set when the owner serves the API: where later processes connect. */
  url?: string;
  token?: string;
}

export interface DataDirLock {
  readonly info: LockInfo;
  /** Adds the serving address so later processes can connect. */
  advertise(url: string, token: string): void;
  release(): void;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(dataPaths(dataDir).lock, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && alive(info.pid) && info.pid !== process.pid ? info : null;
  } catch {
    return null;
  }
}

export function acquireLock(dataDir: string): DataDirLock {
  const file = dataPaths(dataDir).lock;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      const info: LockInfo = { pid: process.pid, startedAt: Date.now() };
      writeSync(fd, JSON.stringify(info));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          const now = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
          if (now.pid === process.pid) rmSync(file, { force: true });
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return {
        info,
        advertise(url, token) {
          Object.assign(info, { url, token });
          writeFileSync(file, JSON.stringify(info), { mode: 0o600 });
        },
        release,
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder: LockInfo | null = null;
      try {
        holder = JSON.parse(readFileSync(file, 'utf8')) as LockInfo;
      } catch {
        holder = null; // half-written by a process that died: stale
      }
      if (holder && alive(holder.pid)) {
        throw new Unavailable(`The data directory ${dataDir} is in use by Trainyard process ${holder.pid}`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Unavailable(`Could not lock the data directory ${dataDir}`);
}
