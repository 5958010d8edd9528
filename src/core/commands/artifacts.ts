/**
 * The files a command left in TRAINYARD_ARTIFACTS_DIR, as the run's artifacts: every regular file
 * under it (links are not followed, so nothing outside the folder is recorded), hashed as a stream
 * (a checkpoint may be gigabytes).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, readdir, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

export interface CommandArtifact {
  kind: string;
  path: string;
  sizeBytes: number;
  sha256: string;
}

/** The card a command run's artifacts carry so the registry can register them: what ran, with which params, and what it scored. */
export const COMMAND_CARD = 'card.json';

async function digest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function* walk(dir: string): AsyncGenerator<string> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path);
    else if (e.isFile()) yield path;
  }
}

export async function collectArtifacts(dir: string): Promise<CommandArtifact[]> {
  const found: CommandArtifact[] = [];
  for await (const path of walk(dir)) {
    const info = await lstat(path);
    const rel = relative(dir, path).split(sep).join('/');
    found.push({ kind: rel === COMMAND_CARD ? 'card' : 'artifact', path, sizeBytes: info.size, sha256: await digest(path) });
  }
  return found;
}

/**
 * Writes the card unless the program wrote its own. It says plainly that the model has no built-in
 * predict: Trainyard does not know how to load what an arbitrary program saved.
 */
export async function writeCommandCard(dir: string, card: { name: string; argv: string[]; cwd: string; params: Record<string, unknown>; metrics: Record<string, number>; exitCode: number | null }): Promise<void> {
  const body = {
    kind: 'command',
    family: 'command',
    task: 'command',
    ...card,
    predict: null,
    note: 'A command model has no built-in predict: Trainyard stores and versions its files; load them with the code that wrote them.',
  };
  await writeFile(join(dir, COMMAND_CARD), `${JSON.stringify(body, null, 2)}\n`, { flag: 'wx' }).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
}
