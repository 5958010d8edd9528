/**
 * What Trainyard keeps is private to its user: models, datasets, the database and registry
 * credentials live under a data directory of mode 0700 whose files are 0600. The tree is created so,
 * and a directory an older version (or a copy) left readable by others is tightened at start, with a
 * log line naming what changed.
 */
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CoreLog } from './log';

export const DIR_MODE = 0o700;
export const FILE_MODE = 0o600;

/** Creates `dirs` (the data directory first) as 0700, and `files` (the database) as empty 0600 files where missing. */
export function createPrivate(dirs: string[], files: string[]): void {
  for (const dir of dirs) mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  // SQLite gives the -wal and -shm files the database file's own mode, so the database is made first, 0600.
  for (const file of files) closeSync(openSync(file, 'a', FILE_MODE));
}

/** Removes group and other access from everything under `root` (links are left alone); logs what it changed. */
export function tightenModes(root: string, log: CoreLog): string[] {
  const changed: string[] = [];
  const visit = (path: string) => {
    const st = lstatSync(path);
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? DIR_MODE : FILE_MODE;
    if ((st.mode & 0o077) !== 0) {
      chmodSync(path, (st.mode & 0o700) | (want & 0o700));
      changed.push(relative(root, path) || '.');
    }
    if (st.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
  };
  visit(root);
  if (changed.length > 0) {
    const shown = changed.slice(0, 20);
    log('warn', `Tightened the modes of ${changed.length} path(s) in ${root} that others could read: ${shown.join(', ')}${changed.length > shown.length ? ', ...' : ''}`, { dataDir: root, count: changed.length });
  }
  return changed;
}
