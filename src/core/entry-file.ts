/**
 * A process entry of the core (the worker, the GPU probe): the built JavaScript beside the calling
 * module when the core is bundled (the desktop app writes every entry into one folder), else the
 * TypeScript source run through tsx.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

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

/**
 * A given file: TypeScript runs through tsx. tsx is named by its full URL: a bare `--import tsx` is
 * resolved from the child's working directory, which need not be inside Trainyard.
 */
export function sourceEntry(file: string): EntryFile {
  if (!file.endsWith('.ts')) return { file, execArgv: [] };
  return { file, execArgv: ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href] };
}
