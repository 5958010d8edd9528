/**
 * A file per live worker process, named by its pid, under the data directory's workers/ folder.
 *
 * Workers end themselves when the core's IPC channel closes, but a worker stuck in native code (a
 * hung GPU kernel, a tight loop) never hears it. After the core itself was killed, the next core reads
 * these records and ends every worker that is still alive and still a Trainyard worker, so a recycled
 * pid of some other program is left alone. On Linux a worker is known by its start time (recorded when
 * it started) and by a marker: on its command line for a forked worker, in its environment for an
 * Electron utilityProcess (whose arguments never reach the command line).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identity } from '../lock';

export interface PidRecord {
  pid: number;
  startedAt: number;
  /** A marker every Trainyard worker's command line contains. */
  marker: string;
  /** The process's start time in clock ticks since boot (/proc/<pid>/stat), where the OS tells. */
  procStart?: string;
}

export const WORKER_MARKER = 'worker';
/** Set in every worker's environment by the pool. */
export const WORKER_ENV = 'TRAINYARD_WORKER';

export class PidRecords {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  add(pid: number): void {
    const rec: PidRecord = { pid, startedAt: Date.now(), marker: WORKER_MARKER, procStart: identity(pid)?.procStart };
    writeFileSync(join(this.dir, String(pid)), JSON.stringify(rec), { mode: 0o600 });
  }

  remove(pid: number): void {
    rmSync(join(this.dir, String(pid)), { force: true });
  }

  /** Ends the workers a previous core left behind; returns the pids it killed. */
  reapOrphans(): number[] {
    const killed: number[] = [];
    for (const name of readdirSync(this.dir)) {
      const pid = Number(name);
      if (!Number.isInteger(pid) || pid <= 0) continue;
      if (isLiveWorker(pid, readRecord(join(this.dir, name)))) {
        try {
          process.kill(pid, 'SIGKILL');
          killed.push(pid);
        } catch {
          // gone between the check and the kill
        }
      }
      rmSync(join(this.dir, name), { force: true });
    }
    return killed;
  }
}

function readRecord(file: string): PidRecord | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PidRecord;
  } catch {
    return null;
  }
}

function isLiveWorker(pid: number, rec: PidRecord | null): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const now = identity(pid);
  // No /proc (macOS, Windows): trust the record only if the process is one we could signal.
  if (!now) return process.platform !== 'linux';
  // Started at another time than the recorded worker: the pid has been given to another process.
  if (rec?.procStart && rec.procStart !== now.procStart) return false;
  if (/worker(\/index\.ts|\.js)/.test(now.cmdline) || now.cmdline.includes('--trainyard-worker')) return true;
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(`${WORKER_ENV}=1`);
  } catch {
    return false;
  }
}
