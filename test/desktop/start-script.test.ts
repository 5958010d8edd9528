/**
 * `npm start` rebuilds the desktop app when any of its sources is newer than the build in out/, so it
 * never runs stale code (it used to skip the build whenever out/ existed).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../helpers/tmp';

const startScript = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const tmp = tempDirPerTest('trainyard-start-');

/** What scripts/start.mjs says about the build in `dir`: why it is stale, or null. */
function staleness(dir: string): string | null {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `const m = await import(${JSON.stringify(startScript)}); console.log(JSON.stringify(m.buildStaleness(${JSON.stringify(dir)})));`], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout) as string | null;
}

const OUT = ['out/main/index.js', 'out/main/worker.js', 'out/main/webgpu-probe.js', 'out/renderer/index.html', 'out/preload/index.cjs'];
const SRC = ['src/core/app.ts', 'src/main/index.ts', 'package.json', 'electron.vite.config.ts'];

function tree(dir: string, files: string[], at: number): void {
  for (const f of files) {
    const file = path.join(dir, f);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '');
    utimesSync(file, at / 1000, at / 1000);
  }
  // Folders' own times too: a new file shows as a newer folder.
  for (const d of ['src', 'src/core', 'src/main']) utimesSync(path.join(dir, d), at / 1000, at / 1000);
}

describe('npm start', () => {
  const t0 = Date.parse('2026-01-01T00:00:00Z');

  it('builds when out/ is missing or incomplete', () => {
    const dir = tmp();
    tree(dir, SRC, t0);
    expect(staleness(dir)).toBe('out/main/index.js is missing');
    tree(dir, OUT.filter((f) => !f.includes('webgpu-probe')), t0 + 60_000);
    expect(staleness(dir)).toBe('out/main/webgpu-probe.js is missing');
  });

  it('keeps a build newer than every source, and rebuilds when a source changes after it', () => {
    const dir = tmp();
    tree(dir, SRC, t0);
    tree(dir, OUT, t0 + 60_000);
    expect(staleness(dir)).toBeNull();

    utimesSync(path.join(dir, 'src/core/app.ts'), (t0 + 120_000) / 1000, (t0 + 120_000) / 1000);
    expect(staleness(dir)).toBe('src changed since the last build');

    tree(dir, OUT, t0 + 180_000);
    expect(staleness(dir)).toBeNull();
    utimesSync(path.join(dir, 'electron.vite.config.ts'), (t0 + 240_000) / 1000, (t0 + 240_000) / 1000);
    expect(staleness(dir)).toBe('electron.vite.config.ts changed since the last build');
  });

  it('rebuilds when a source file is deleted (its folder changed)', () => {
    const dir = tmp();
    tree(dir, SRC, t0);
    tree(dir, OUT, t0 + 60_000);
    rmSync(path.join(dir, 'src/main/index.ts'));
    expect(staleness(dir)).toBe('src changed since the last build');
  });
});
