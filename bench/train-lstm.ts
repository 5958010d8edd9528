/**
 * Training throughput of Trainyard's LSTM forecaster network against the same network, data and
 * batch size in PyTorch on the CPU (Debian's python3-torch), in one run. Data: lag windows of the
 * bundled Seattle hourly temperature normals (window 24, one channel). Recurrent layers run step by
 * step, so fewer windows than the MLP benchmark keep it short.
 *
 * "Trainyard" is the product's path: `fitForecaster`, which trains the LSTM on Trainyard's own CPU
 * kernels on a CPU backend (here wasm), with its validation pass each epoch over 64 held-out windows.
 * Beside it, the same network on tfjs (`model.fit`, the path before the fused trainer), measured in
 * the same run. Then PyTorch again with as many threads as the machine has cores (ours stays on one).
 */
import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { selectBackend } from '../src/core/compute';
import { forecastKit, resolveRecurrentParams, type FitSet } from '../src/core/models';
import { TORCH_TIMED_EPOCHS, fitSamplesPerSecond, seattleWindows, torchSamplesPerSecond } from './train-peer';

const WINDOW = 24;
const UNITS = 32;
const BATCH = 64;
const EPOCHS = 2;
const WINDOWS = 2048;
const VALIDATION = 64;

async function model() {
  const p = resolveRecurrentParams('lstm', { units: UNITS, layers: 1, batchSize: BATCH, learningRate: 0.001 });
  const { buildRecurrent } = await forecastKit();
  return buildRecurrent('lstm', p, { steps: WINDOW, channels: 1 });
}

const fitSet = (x: Float32Array, y: Float32Array, from: number, count: number): FitSet => ({
  x: x.slice(from * WINDOW, (from + count) * WINDOW),
  y: y.slice(from, from + count),
  count,
  features: WINDOW,
  sampleShape: [WINDOW, 1],
});

/** Samples/s of the product's training loop over `epochs` epochs, after a one-epoch warm-up run. */
async function productSamplesPerSecond(train: FitSet, val: FitSet): Promise<number> {
  const run = async (epochs: number) => {
    const m = await model();
    const { fitForecaster } = await forecastKit();
    const t0 = performance.now();
    await fitForecaster(m, { train, val, epochs, batchSize: BATCH, patience: 0, seed: 1, learningRate: 0.001 });
    const s = (performance.now() - t0) / 1000;
    m.dispose();
    return (train.count * epochs) / s;
  };
  await run(1);
  return run(EPOCHS);
}

async function tfjsSamplesPerSecond(x: Float32Array, y: Float32Array, n: number): Promise<number> {
  return fitSamplesPerSecond(await model(), tf.tensor3d(x.slice(0, n * WINDOW), [n, WINDOW, 1]), tf.tensor2d(y.slice(0, n), [n, 1]), BATCH, EPOCHS);
}

const PYTORCH = `
import sys, time, numpy as np, torch
d = np.load(sys.argv[1]); steps, units, batch, epochs, threads = (int(v) for v in sys.argv[2:7])
torch.set_num_threads(threads)
x = torch.tensor(d['x']).reshape(-1, steps, 1); y = torch.tensor(d['y'])
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__(); self.lstm = torch.nn.LSTM(1, units, batch_first=True); self.out = torch.nn.Linear(units, 1)
    def forward(self, x):
        h, _ = self.lstm(x); return self.out(h[:, -1, :])
model = Net()
${TORCH_TIMED_EPOCHS}`;

function table(title: string, rows: [string, number | string][], peer: number | string): string {
  const fmt = (v: number | string) => (typeof v === 'number' ? v.toFixed(0) : v);
  const ratio = (v: number | string) => (typeof v === 'number' && typeof peer === 'number' ? (v / peer).toFixed(3) : '-');
  return (
    `${title}\n| trainer | samples/s | ratio to PyTorch |\n| --- | --- | --- |\n` +
    rows.map(([name, v]) => `| ${name} | ${fmt(v)} | ${ratio(v)} |\n`).join('') +
    `| PyTorch CPU | ${fmt(peer)} | 1 |\n`
  );
}

export async function trainLstm(): Promise<void> {
  const backend = await selectBackend('wasm');
  const all = seattleWindows(WINDOW);
  const n = Math.min(WINDOWS, all.n - VALIDATION);
  const train = fitSet(all.x, all.y, 0, n);
  const val = fitSet(all.x, all.y, n, VALIDATION);
  const ours = await productSamplesPerSecond(train, val);
  const old = await tfjsSamplesPerSecond(all.x, all.y, n);
  const data = { x: train.x, y: train.y, n, features: WINDOW };
  const peer = torchSamplesPerSecond('lstm', data, PYTORCH, [WINDOW, UNITS, BATCH, EPOCHS, 1]);
  const cores = availableParallelism();
  const peerAll = torchSamplesPerSecond('lstm', data, PYTORCH, [WINDOW, UNITS, BATCH, EPOCHS, cores]);
  const network = `LSTM 1 -> ${UNITS} over ${WINDOW} steps -> dense 1, Adam, MSE, batch ${BATCH}, ${n} windows x ${EPOCHS} epochs`;
  const rows: [string, number][] = [
    [`Trainyard (fused LSTM on its CPU kernels, tfjs backend ${backend.name})`, ours],
    [`Trainyard before (tfjs ${backend.name}, model.fit)`, old],
  ];
  process.stdout.write(table(`${network}, one thread each`, rows, peer));
  process.stdout.write(table(`\n${network}, PyTorch on ${cores} threads (all cores), Trainyard on one`, rows, peerAll));
}
