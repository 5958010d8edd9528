/**
 * What the training benchmarks share: the Seattle windows, timing a network's `fit`, handing arrays
 * to a Python peer and timing it there, and the table both print.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
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
 * The interpreter of the Python peers: Debian's, which has their packages (the first python3 on PATH
 * here lacks them); TRAINYARD_PEER_PYTHON names another, as on a GPU machine whose CUDA PyTorch is elsewhere.
 */
export const PEER_PYTHON = process.env.TRAINYARD_PEER_PYTHON || '/usr/bin/python3';

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
    PEER_PYTHON,
    ['-c', `import json, numpy as np; d = json.load(open('${raw}')); np.savez('${data}', x=np.array(d['x'], dtype=np.float32).reshape(d['n'], d['f']), y=np.array(d['y'], dtype=np.float32).reshape(d['n'], 1))`],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? { path: data } : { error: r.stderr.trim().split('\n').pop() ?? 'python3 failed' };
}

/** Runs a Python peer script; its last stdout line is the result, or the reason it could not run. */
export function runPython(script: string, args: string[], installHint: string): { out: string } | { error: string } {
  const r = spawnSync(PEER_PYTHON, ['-c', script, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) return { error: `${r.stderr.trim().split('\n').pop()}; apt-get install ${installHint}` };
  return { out: r.stdout.trim().split('\n').pop() ?? '' };
}

/**
 * Training samples per second of `model.fit` on `xs`/`ys` over `epochs` shuffled epochs, after one
 * warm-up epoch. Frees the model and the tensors.
 */
export async function fitSamplesPerSecond(model: tf.LayersModel, xs: tf.Tensor, ys: tf.Tensor, batch: number, epochs: number): Promise<number> {
  const n = xs.shape[0];
  await model.fit(xs, ys, { batchSize: batch, epochs: 1, verbose: 0 }); // warm-up
  const t0 = performance.now();
  await model.fit(xs, ys, { batchSize: batch, epochs, verbose: 0, shuffle: true });
  const s = (performance.now() - t0) / 1000;
  xs.dispose();
  ys.dispose();
  model.dispose();
  return (n * epochs) / s;
}

/**
 * The end of every PyTorch peer script: with `x`, `y`, `model`, `batch` and `epochs` defined, Adam on
 * MSE over shuffled minibatches, one warm-up epoch, then `epochs` timed ones; prints samples/s.
 */
export const TORCH_TIMED_EPOCHS = `
opt = torch.optim.Adam(model.parameters(), lr=0.001); loss_fn = torch.nn.MSELoss()
def epoch():
    perm = torch.randperm(len(x))
    for i in range(0, len(x), batch):
        idx = perm[i:i+batch]; opt.zero_grad(); loss = loss_fn(model(x[idx]), y[idx]); loss.backward(); opt.step()
epoch()
t = time.perf_counter()
for _ in range(epochs): epoch()
print(len(x) * epochs / (time.perf_counter() - t))
`;

/**
 * Runs a PyTorch peer script on `x` (n x features) and `y`: it gets the .npz path then `args`, and
 * prints its samples per second last. Returns that, or why the peer could not run.
 */
export function torchSamplesPerSecond(
  name: string,
  data: { x: Float32Array; y: Float32Array; n: number; features: number },
  script: string,
  args: number[],
): number | string {
  const npz = toNpz(name, data.x, data.y, data.n, data.features);
  if ('error' in npz) return `peer unavailable (${npz.error})`;
  const r = runPython(script, [npz.path, ...args.map(String)], 'python3-torch');
  return 'error' in r ? `peer unavailable (${r.error})` : Number(r.out);
}

/** The table every training benchmark prints: Trainyard's samples/s, the peer's, and their ratio. */
export function printThroughput(title: string, backend: string, ours: number, peer: number | string): void {
  const ratio = typeof peer === 'number' ? (ours / peer).toFixed(3) : '-';
  process.stdout.write(
    `${title}\n` +
      `| trainer | samples/s |\n| --- | --- |\n| Trainyard (tfjs ${backend}) | ${ours.toFixed(0)} |\n` +
      `| PyTorch CPU | ${typeof peer === 'number' ? peer.toFixed(0) : peer} |\n| ratio (Trainyard / PyTorch) | ${ratio} |\n`,
  );
}
