/** What the training benchmarks share: the Seattle windows, and handing arrays to a Python peer. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSeries } from '../src/core/data';

/** Seattle hourly temperature normals, standard-scaled, as windows of `window` values and the next value. */
export function seattleWindows(window: number): { x: Float32Array; y: Float32Array; n: number } {
  const text = readFileSync(new URL('../resources/datasets/seattle-weather-hourly-normals.csv', import.meta.url), 'utf8');
  const v = loadSeries(text, { target: 'temperature' }).values;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  const scaled = Float64Array.from(v, (u) => (u - mean) / sd);
  const n = scaled.length - window;
  const x = new Float32Array(n * window);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < window; j++) x[i * window + j] = scaled[i + j];
    y[i] = scaled[i + window];
  }
  return { x, y, n };
}

/**
 * Writes `x` (n x features) and `y` (n x 1) to an .npz through numpy itself, for a peer to load.
 * Returns its path, or a reason when numpy is missing.
 */
export function toNpz(name: string, x: Float32Array, y: Float32Array, n: number, features: number): { path: string } | { error: string } {
  const dir = tmpdir();
  const data = join(dir, `trainyard-bench-${name}.npz`);
  const raw = join(dir, `trainyard-bench-${name}.json`);
  writeFileSync(raw, JSON.stringify({ x: Array.from(x), y: Array.from(y), n, f: features }));
  const r = spawnSync(
    '/usr/bin/python3',
    ['-c', `import json, numpy as np; d = json.load(open('${raw}')); np.savez('${data}', x=np.array(d['x'], dtype=np.float32).reshape(d['n'], d['f']), y=np.array(d['y'], dtype=np.float32).reshape(d['n'], 1))`],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? { path: data } : { error: r.stderr.trim().split('\n').pop() ?? 'python3 failed' };
}

/** Runs a Python peer script; its last stdout line is the result, or the reason it could not run. */
export function runPython(script: string, args: string[], installHint: string): { out: string } | { error: string } {
  const r = spawnSync('/usr/bin/python3', ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return { error: `${r.stderr.trim().split('\n').pop()}; apt-get install ${installHint}` };
  return { out: r.stdout.trim().split('\n').pop() ?? '' };
}
