/** A small real file system to fill: a tmpfs mounted on a fresh folder (root only), and a filler that takes all its space. */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Tmpfs {
  path: string;
  unmount(): void;
}

/** The mount, or the reason it was refused (not root, no CAP_SYS_ADMIN). */
export function mountTmpfs(size: string, opts: { readOnly?: boolean } = {}): Tmpfs | string {
  const path = mkdtempSync(join(tmpdir(), 'trainyard-tmpfs-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}${opts.readOnly ? ',ro' : ''}`, 'tmpfs', path], { encoding: 'utf8' });
  if (r.status !== 0) {
    rmSync(path, { recursive: true, force: true });
    return `mount -t tmpfs was refused (${(r.stderr || r.error?.message || 'not root').trim()}); the full-disk case needs root`;
  }
  return {
    path,
    unmount: () => {
      spawnSync('umount', [path]);
      rmSync(path, { recursive: true, force: true });
    },
  };
}

/** Writes `file` until the file system says ENOSPC, down to its last 512 bytes: nothing is left for anyone. */
export function fillDisk(file: string): void {
  for (const size of [64 * 1024, 512]) {
    const fd = openSync(file, 'a');
    const chunk = Buffer.alloc(size, 1);
    try {
      for (;;) writeSync(fd, chunk);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      closeSync(fd);
    }
  }
}
