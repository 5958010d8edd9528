/**
 * One owner per data directory. The process that owns it runs the scheduler; others talk to it.
 * The lock is a file created with O_EXCL holding the owner's pid and, when it serves, its URL and
 * token (the file is private to the user, like Jupyter's runtime files). A lock whose pid is gone is
 * stale and taken over; so is one whose pid the kernel has since given to another process (after a
 * reboot or a long while): on Linux the lock records its process's start time and command line, and
 * a holder only counts while both still match.
 */
import { closeSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { Unavailable } from '../shared/errors';
import { coreLog } from './log';
import { dataPaths } from './paths';
import { statField, statFields } from './proc-stat';

export interface LockInfo {
  pid: number;
  startedAt: number;
  /** Set when the owner serves the API: where later processes connect. */
  url?: string;
  token?: string;
  /** The owner's start time in clock ticks since boot (/proc/<pid>/stat field 22), where the OS tells. */
  procStart?: string;
  /** The owner's command line (/proc/<pid>/cmdline), where the OS tells. */
  cmdline?: string;
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

/** A process's start time and command line from /proc; null where there is no /proc (macOS, Windows) or no such process. */
export function identity(pid: number): { procStart: string; cmdline: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const procStart = statFields(stat)[statField(22)];
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0+$/, '').split('\0').join(' ');
    return procStart ? { procStart, cmdline } : null;
  } catch {
    return null;
  }
}

/** Why the process named in a lock is not its owner any more, or null while it still is. */
function staleBecause(info: LockInfo): string | null {
  if (!alive(info.pid)) return 'it is no longer running';
  const now = identity(info.pid);
  if (!now) return null; // no /proc here: a live pid is all there is to go by
  if (info.procStart !== undefined) {
    if (now.procStart !== info.procStart) return `it started at another time (pid reused: ${now.cmdline || 'unknown command'})`;
    if (info.cmdline !== undefined && now.cmdline !== info.cmdline) return `it runs another command (${now.cmdline})`;
    return null;
  }
  // A lock written before start times were recorded: the holder must at least look like Trainyard.
  const [exe = ''] = now.cmdline.split(' ');
  return /node|electron|trainyard/i.test(basename(exe)) || /trainyard/i.test(now.cmdline) ? null : `it is not Trainyard (${now.cmdline})`;
}

export function readLock(dataDir: string): LockInfo | null {
  try {
    const info = JSON.parse(readFileSync(dataPaths(dataDir).lock, 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && info.pid !== process.pid && staleBecause(info) === null ? info : null;
  } catch {
    return null;
  }
}

export function acquireLock(dataDir: string): DataDirLock {
  const file = dataPaths(dataDir).lock;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      const info: LockInfo = { pid: process.pid, startedAt: Date.now(), ...identity(process.pid) };
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
      const why = holder && typeof holder.pid === 'number' ? staleBecause(holder) : 'it is unreadable';
      if (holder && why === null) {
        throw new Unavailable(`The data directory ${dataDir} is in use by Trainyard process ${holder.pid}`);
      }
      coreLog(dataDir, 'lock')('warn', `Took over the stale lock of process ${holder?.pid ?? 'unknown'}: ${why}`, { file, pid: holder?.pid });
      rmSync(file, { force: true });
    }
  }
  throw new Unavailable(`Could not lock the data directory ${dataDir}`);
}
