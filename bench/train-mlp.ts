/**
 * Training throughput of Trainyard's MLP forecaster network (TensorFlow.js, wasm backend) against the
 * same network, data and batch size in PyTorch on the CPU (Debian's python3-torch), in one run.
 * Data: lag windows of the bundled Seattle hourly temperature normals (8,759 rows, window 24).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/compute';
import { loadSeries } from '../src/core/data';
import { buildMlp } from '../src/core/models/forecast/mlp-network';
import { resolveMlpParams } from '../src/core/models';

const WINDOW = 24;
const HIDDEN = 64;
const LAYERS = 2;
const BATCH = 64;
const EPOCHS = 5;

function windows(values: Float64Array): { x: Float32Array; y: Float32Array; n: number } {
  const n = values.length - WINDOW;
  const x = new Float32Array(n * WINDOW);
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < WINDOW; j++) x[i * WINDOW + j] = values[i + j];
    y[i] = values[i + WINDOW];
  }
  return { x, y, n };
}

async function tfjsSamplesPerSecond(x: Float32Array, y: Float32Array, n: number, features: number): Promise<number> {
  const model = buildMlp(resolveMlpParams({ window: WINDOW + 1, hiddenUnits: HIDDEN, layers: LAYERS, batchSize: BATCH }) as never);
  const xs = tf.tensor2d(x, [n, features]);
  const ys = tf.tensor2d(y, [n, 1]);
  await model.fit(xs, ys, { batchSize: BATCH, epochs: 1, verbose: 0 }); // warm-up
  const t0 = performance.now();
  await model.fit(xs, ys, { batchSize: BATCH, epochs: EPOCHS, verbose: 0, shuffle: true });
  const s = (performance.now() - t0) / 1000;
  xs.dispose();
  ys.dispose();
  model.dispose();
  return (n * EPOCHS) / s;
}

const PYTORCH = `
import sys, time, numpy as np, torch
torch.set_num_threads(1)
d = np.load(sys.argv[1]); x = torch.tensor(d['x']); y = torch.tensor(d['y'])
f, h, layers, batch, epochs = (int(v) for v in sys.argv[2:7])
mods = []; inp = f
for _ in range(layers): mods += [torch.nn.Linear(inp, h), torch.nn.ReLU()]; inp = h
model = torch.nn.Sequential(*mods, torch.nn.Linear(inp, 1))
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

function pytorchSamplesPerSecond(x: Float32Array, y: Float32Array, n: number, features: number): number | string {
  const dir = tmpdir();
  const data = join(dir, 'trainyard-bench-mlp.npz');
  // Hand the arrays over as .npy inside an .npz written by numpy itself.
  const raw = join(dir, 'trainyard-bench-mlp.json');
  writeFileSync(raw, JSON.stringify({ x: Array.from(x), y: Array.from(y), n, f: features }));
  const convert = spawnSync('/usr/bin/python3', ['-c', `import json, numpy as np; d = json.load(open('${raw}')); np.savez('${data}', x=np.array(d['x'], dtype=np.float32).reshape(d['n'], d['f']), y=np.array(d['y'], dtype=np.float32).reshape(d['n'], 1))`], { encoding: 'utf8' });
  if (convert.status !== 0) return `peer unavailable (${convert.stderr.trim().split('\n').pop()})`;
  const r = spawnSync('/usr/bin/python3', ['-c', PYTORCH, data, String(features), String(HIDDEN), String(LAYERS), String(BATCH), String(EPOCHS)], { encoding: 'utf8' });
  if (r.status !== 0) return `peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-torch)`;
  return Number(r.stdout.trim());
}

export async function trainMlp(): Promise<void> {
  const backend = await selectBackend('wasm');
  const text = readFileSync(new URL('../resources/datasets/seattle-weather-hourly-normals.csv', import.meta.url), 'utf8');
  const series = loadSeries(text, { target: 'temperature' });
  const v = series.values;
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const sd = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
  // The network the product builds sees differences: window values in, one value out.
  const scaled = Float64Array.from(v, (u) => (u - mean) / sd);
  const { x, y, n } = windows(scaled);
  const features = WINDOW;
  const ours = await tfjsSamplesPerSecond(x, y, n, features);
  const peer = pytorchSamplesPerSecond(x, y, n, features);
  const ratio = typeof peer === 'number' ? (ours / peer).toFixed(3) : '-';
  process.stdout.write(
    `MLP ${features} -> ${HIDDEN} x ${LAYERS} -> 1, Adam, MSE, batch ${BATCH}, ${n} windows x ${EPOCHS} epochs, one thread each\n` +
      `| trainer | samples/s |\n| --- | --- |\n| Trainyard (tfjs ${backend.name}) | ${ours.toFixed(0)} |\n` +
      `| PyTorch CPU | ${typeof peer === 'number' ? peer.toFixed(0) : peer} |\n| ratio (Trainyard / PyTorch) | ${ratio} |\n`,
  );
}
