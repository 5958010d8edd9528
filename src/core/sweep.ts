/**
 * Leftovers of writes a stopped or killed core never finished: files and staging folders named
 * `*.tmp` or `*.partial*` (every writer in the core and its workers writes under such a name and
 * renames when whole), 0-byte files of an interrupted copy, and pulls that never finished (anything
 * in incoming/, which holds only transfers in progress). Swept at start by the owner that runs the
 * jobs, after the orphaned workers of a killed core are ended, so no writer is still at work.
 */
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { CoreLog } from './log';
import { dataPaths } from './paths';

const TEMP_NAME = /\.tmp$|\.partial(-[0-9a-z]+)?$/i;

export function sweepLeftovers(dataDir: string, log: CoreLog): string[] {
  const paths = dataPaths(dataDir);
  const removed: string[] = [];
  const remove = (path: string) => {
    rmSync(path, { recursive: true, force: true });
    removed.push(relative(dataDir, path));
  };
  // Registry blobs are named by digest and an empty blob is a real one: 0-byte files there stay.
  const visit = (dir: string, zeroBytes: boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const name of names) {
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isSymbolicLink()) continue;
      if (TEMP_NAME.test(name)) remove(path);
      else if (st.isDirectory()) visit(path, zeroBytes);
      else if (zeroBytes && st.isFile() && st.size === 0) remove(path);
    }
  };
  visit(paths.datasets, true);
  visit(paths.models, true);
  visit(paths.checkpoints, false);
  visit(join(dataDir, 'registry'), false);
  const incoming = join(dataDir, 'incoming');
  try {
    for (const name of readdirSync(incoming)) remove(join(incoming, name));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (removed.length > 0) {
    const shown = removed.slice(0, 50);
    log('warn', `Removed ${removed.length} leftover(s) of unfinished writes: ${shown.join(', ')}${removed.length > shown.length ? ', ...' : ''}`, { dataDir, count: removed.length });
  }
  return removed;
}
