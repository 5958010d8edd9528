/**
 * A process entry of the core (the worker, the GPU probe): the built JavaScript beside the calling
 * module when the core is bundled (the desktop app writes every entry into one folder), else the
 * TypeScript source run through tsx.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export interface EntryFile {
  file: string;
  /** Node flags the entry needs (tsx for a TypeScript source). */
  execArgv: string[];
}

/** `builtName` beside `callerUrl` when that module is itself built JavaScript, else `sourceUrl`. */
export function entryFile(callerUrl: string, builtName: string, sourceUrl: URL): EntryFile {
  const built = fileURLToPath(new URL(`./${builtName}`, callerUrl));
  if (callerUrl.endsWith('.js') && existsSync(built)) return { file: built, execArgv: [] };
  return sourceEntry(fileURLToPath(sourceUrl));
}

/** A given file: TypeScript runs through tsx. */
export function sourceEntry(file: string): EntryFile {
  return { file, execArgv: file.endsWith('.ts') ? ['--import', 'tsx'] : [] };
}
