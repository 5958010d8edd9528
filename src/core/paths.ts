/**
 * Everything on disk lives under one data directory: trainyard.db, datasets/, models/, logs/,
 * checkpoints/, workers/, commands/.
 * Paths derived from ids or user input are resolved and confined to the folder they belong in.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidInput } from '../shared/errors';

export function defaultDataDir(): string {
  return process.env.TRAINYARD_DATA_DIR || join(homedir(), '.trainyard');
}

export const dataPaths = (dataDir: string) => ({
  db: join(dataDir, 'trainyard.db'),
  datasets: join(dataDir, 'datasets'),
  models: join(dataDir, 'models'),
  logs: join(dataDir, 'logs'),
  lock: join(dataDir, 'trainyard.lock'),
  /** One folder per job: training state saved every N epochs, read back when the job resumes. */
  checkpoints: join(dataDir, 'checkpoints'),
  /** One file per live worker process (its pid): how a restarted core finds and ends orphans. */
  workers: join(dataDir, 'workers'),
  /** One file per running command job's process group: how a restarted core finds and ends orphans. */
  commands: join(dataDir, 'commands'),
});

/** Resolves `child` inside `root`, refusing anything that would step out of it. */
export function confine(root: string, child: string): string {
  const full = resolve(root, child);
  const rel = relative(root, full);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) {
    throw new InvalidInput(`Path ${JSON.stringify(child)} is outside ${root}`);
  }
  return full;
}

/** The repository root (or the installed package root): where resources/ and package.json live. */
export const packageRoot = (): string => fileURLToPath(new URL('../../', import.meta.url));

export const resourcesDir = (): string => process.env.TRAINYARD_RESOURCES || join(packageRoot(), 'resources');
