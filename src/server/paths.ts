/**
 * Where the project's own files are: the repository (or installed package) root, found by walking up
 * from this module to the package.json named "trainyard", and the built renderer inside it.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedRoot: string | undefined;

export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'trainyard') {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Not found (an unusual layout): src/server is two levels below the root.
  cachedRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  return cachedRoot;
}

/** The folder `npx vite build -c renderer.vite.config.ts` writes to. */
export function defaultRendererDir(): string {
  return path.join(packageRoot(), 'out', 'renderer');
}
