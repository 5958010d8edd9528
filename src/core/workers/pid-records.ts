/**
 * A file per live worker process, named by its pid, under the data directory's workers/ folder.
 *
 * Workers end themselves when the core's IPC channel closes, but a worker stuck in native code (a
 * hung GPU kernel, a tight loop) never hears it. After the core itself was killed, the next core reads
 * these records and ends every worker that is still alive and still a Trainyard worker (its command
 * line is checked, so a recycled pid of some other program is left alone).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PidRecord {
  pid: number;
  startedAt: number;
  /** A marker every Trainyard worker's command line contains. */
  marker: string;
}

export const WORKER_MARKER = 'worker';

export class PidRecords {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  add(pid: number): void {
    const rec: PidRecord = { pid, startedAt: Date.now(), marker: WORKER_MARKER };
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
      if (isLiveWorker(pid)) {
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

function isLiveWorker(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return /worker(\/index\.ts|\.js)/.test(cmdline) || cmdline.includes('--trainyard-worker');
  } catch {
    // No /proc (macOS, Windows): trust the record only if the process is a child we could signal.
    return process.platform !== 'linux';
  }
}
