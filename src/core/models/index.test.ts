/**
 * The core imports the models and compute indexes to check params and list backends; neither may
 * pull TensorFlow.js into the core process at load time (half a second and about 50 MB).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** Value imports and re-exports (type-only ones vanish at runtime; dynamic import() is lazy). */
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function resolveTs(from: string, spec: string): string | null {
  const base = resolve(dirname(from), spec);
  for (const candidate of [`${base}.ts`, `${base}/index.ts`, base]) {
    if (existsSync(candidate) && candidate.endsWith('.ts')) return candidate;
  }
  return null;
}

/** Every package a module loads, following relative imports. */
function packagesLoadedBy(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(STATIC_IMPORT)) {
      const spec = m[1];
      if (spec.startsWith('.')) {
        const next = resolveTs(file, spec);
        if (next) visit(next);
      } else {
        packages.add(spec);
      }
    }
  };
  visit(entry);
  return packages;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe('what the core loads', () => {
  it('checks params and lists backends without loading TensorFlow.js', () => {
    for (const entry of [here('./index.ts'), here('../compute/index.ts')]) {
      const tf = [...packagesLoadedBy(entry)].filter((p) => p.startsWith('@tensorflow/'));
      expect(tf, entry).toEqual([]);
    }
    // The walker does see TensorFlow.js where it is loaded.
    expect(packagesLoadedBy(here('./forecast/kit.ts')).has('@tensorflow/tfjs')).toBe(true);
  });
});
