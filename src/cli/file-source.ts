/**
 * A file the user names on the command line, as the core should receive it. The in-process core is
 * the user's own process and reads the path itself; a server may be another user's process (and
 * refuses paths outside its allowed folders), so a CLI beside a server reads the file with the
 * user's own rights and sends its content, as the UI's upload does.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { DatasetSource } from '../shared/contract';
import { InvalidInput } from '../shared/errors';
import { MAX_MESSAGE_BYTES } from '../server';
import type { Session } from './session';

export function fileSource(s: Pick<Session, 'local'>, file: string, field = 'file'): DatasetSource {
  const path = resolve(file);
  if (s.local) return { kind: 'path', path };
  const size = readable(path, field, () => statSync(path).size);
  // Base64 takes four bytes for three, and the message carries a little more than the file. A file
  // too large for one message is named by path instead: a server started with
  // --allow-path-imports for its folder streams it itself; any other refuses it, saying so.
  if (Math.ceil(size / 3) * 4 > MAX_MESSAGE_BYTES - 1024 * 1024) return { kind: 'path', path };
  const bytes = readable(path, field, () => readFileSync(path));
  return { kind: 'content', filename: basename(path), text: bytes.toString('base64'), encoding: 'base64' };
}

/** `read()`, its failure said in one line that names the file. */
function readable<T>(path: string, field: string, read: () => T): T {
  try {
    return read();
  } catch (err) {
    throw new InvalidInput(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, field);
  }
}
