/**
 * A full disk, said once and clearly. SQLite says "database or disk is full" (SQLITE_FULL, or an
 * I/O error whose cause is ENOSPC) and Node says ENOSPC; the faces get one Unavailable naming the
 * data directory, whichever layer hit it. A small reserve file is kept beside the database and freed
 * at the first full-disk error, so the core can still record that a job failed, and why.
 */
import { closeSync, existsSync, openSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { TrainyardError, Unavailable } from '../../shared/errors';

export const RESERVE_FILE = 'trainyard.reserve';
const RESERVE_BYTES = 1024 * 1024;

const FULL_MESSAGE = /database or disk is full|no space left on device|ENOSPC|disk holding .* is full/i;

export function isDiskFull(err: unknown): boolean {
  if (err instanceof TrainyardError) return err.code === 'Unavailable' && FULL_MESSAGE.test(err.message);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return true;
  return err instanceof Error && FULL_MESSAGE.test(err.message);
}

export function diskFull(dataDir: string): Unavailable {
  return new Unavailable(`The disk holding ${dataDir} is full; free some space there and try again`);
}

/** `err` as the one full-disk error when it is one, else unchanged. */
export function asDiskFull(err: unknown, dataDir: string): unknown {
  return isDiskFull(err) && !(err instanceof Unavailable) ? diskFull(dataDir) : err;
}

/** The reserve: a megabyte held back while the disk has room, given up when it is full. */
export class DiskReserve {
  private readonly file: string;

  constructor(dir: string) {
    this.file = join(dir, RESERVE_FILE);
  }

  /** Creates the reserve if it is missing; false when there is no room for it (it is tried again later). */
  keep(): boolean {
    if (existsSync(this.file)) return true;
    try {
      const fd = openSync(this.file, 'w', 0o600);
      try {
        writeSync(fd, Buffer.alloc(RESERVE_BYTES));
      } finally {
        closeSync(fd);
      }
      return true;
    } catch (err) {
      rmSync(this.file, { force: true });
      if (isDiskFull(err)) return false;
      throw err;
    }
  }

  /** Frees the reserve; true when there was one to free. */
  release(): boolean {
    if (!existsSync(this.file)) return false;
    rmSync(this.file, { force: true });
    return true;
  }
}
