/**
 * The file under the core log: appends each line synchronously, and rotates by size
 * (`core.log` → `core.log.1` … `core.log.<keep>`, the oldest dropped) once a line would take it past
 * `maxBytes`. Hand-written rather than a transport: a transport (pino-roll) runs in a worker thread
 * that loses what it had not written when the process is killed, while a synchronous append loses
 * nothing, and the core writes few lines (caught errors, not traffic), so the cost of writing them
 * in line does not matter. Several processes on one data dir (serve and a CLI) append to the same
 * file with O_APPEND; before each line a process checks that its file is still the one at the path
 * (another may have rotated it, or the folder was removed) and reopens it if not.
 */
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export interface RotatingFileOptions {
  /** Rotate once the file would grow past this many bytes. */
  maxBytes: number;
  /** How many rotated files to keep beside the live one. */
  keep: number;
}

export interface RotatingFile {
  write(line: string): void;
  close(): void;
}

export function rotatingFile(file: string, opts: RotatingFileOptions): RotatingFile {
  let fd: number | null = null;
  let ino = -1;
  let size = 0;

  const open = () => {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    fd = openSync(file, 'a', 0o600);
    const st = fstatSync(fd);
    ino = st.ino;
    size = st.size;
  };

  /** Whether the open file is still the one at the path, with its size as it is now (others append too). */
  const current = (): boolean => {
    if (fd === null) return false;
    const st = statSync(file, { throwIfNoEntry: false });
    if (!st || st.ino !== ino) return false;
    size = st.size;
    return true;
  };

  const rotate = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    rmSync(`${file}.${opts.keep}`, { force: true });
    for (let i = opts.keep - 1; i >= 1; i--) {
      if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
    }
    // Another process may have rotated it first; then there is nothing to move.
    if (existsSync(file)) renameSync(file, `${file}.1`);
    open();
  };

  return {
    write(line) {
      if (!current()) {
        if (fd !== null) closeSync(fd);
        open();
      }
      const bytes = Buffer.byteLength(line);
      if (size > 0 && size + bytes > opts.maxBytes) rotate();
      writeSync(fd!, line);
      size += bytes;
    },
    close() {
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}
