/**
 * Which files the API may read by path. A core started by the user's own process (the CLI without a
 * server, the desktop app) reads any file that process can: they are the user's own files, read
 * with the user's own rights. `trainyard serve` answers anyone holding its token, so there a path
 * is read only inside the folders named by `--allow-path-imports` (none by default); a browser
 * uploads the file's content and a CLI beside the server sends it the same way.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { InvalidInput } from '../../shared/errors';

/** `any`: the user's own process; `roots`: only files under these folders (an empty list: none). */
export type PathImports = 'any' | { roots: string[] };

export function pathPolicy(rule: PathImports): (path: string, field: string) => string {
  if (rule === 'any') return (path) => path;
  // Links resolved once, at start, so the check compares real paths on both sides.
  const roots = rule.roots.map((r) => {
    try {
      return realpathSync(r);
    } catch (err) {
      throw new InvalidInput(`Cannot allow path imports from ${r}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'allowPathImports');
    }
  });
  const under = (p: string) =>
    roots.some((root) => {
      const rel = relative(root, p);
      return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
    });
  const refuse = (path: string, field: string) => {
    const where = roots.length ? `it is not under ${roots.join(', ')}` : 'reading files by path is off for this server';
    return new InvalidInput(
      `This Trainyard server does not read ${path}: ${where}. Upload the file instead (the CLI and the UI send its content), or start the server with --allow-path-imports DIR`,
      field,
    );
  };
  return (path, field) => {
    if (!isAbsolute(path)) throw new InvalidInput(`${path} is not an absolute path`, field);
    // Refused before it is touched, so a client learns nothing about files outside (not even whether they exist).
    if (!under(resolve(path))) throw refuse(path, field);
    let real: string;
    try {
      real = realpathSync(path);
    } catch (err) {
      throw new InvalidInput(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, field);
    }
    // A link inside an allowed folder may point out of it.
    if (!under(real)) throw refuse(path, field);
    return real;
  };
}
