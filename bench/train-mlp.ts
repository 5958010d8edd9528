/**
 * Training throughput of Trainyard's MLP forecaster against the same network, data and batch size in
 * PyTorch on the CPU (Debian's python3-torch), in one run. Ours is the product's own path:
 * `fitForecaster`, as the MLP family runs it, which on a CPU backend trains on Trainyard's
 * WebAssembly SIMD kernels. The TensorFlow.js figure the product had before (tfjs `model.fit` on the
 * wasm backend) is measured in the same run for reference.
 * Data: lag windows of the bundled Seattle hourly temperature normals (8,759 rows, window 24).
 * Two networks: the MLP family's default size (64 units, batch 64), and a wide one (512 units,
 * batch 256) where the matrix products, not the per-batch overheads, set the pace.
 */
import { cpus } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/compute';
import { forecastKit, resolveMlpParams, type FitResult } from '../src/core/models';
import { TORCH_TIMED_EPOCHS, fitSamplesPerSecond, seattleWindows, torchSamplesPerSecond } from './train-peer';

const WINDOW = 24;
const LAYERS = 2;
/** The product's loop computes a validation loss every epoch; a small set keeps that out of the figure, as the peer has none. */
const VAL_WINDOWS = 64;

interface Network {
  hidden: number;
  batch: number;
  epochs: number;
}
const NETWORKS: Network[] = [
  { hidden: 64, batch: 64, epochs: 5 },
  { hidden: 512, batch: 256, epochs: 1 },
];

const params = ({ hidden, batch }: Network) => resolveMlpParams({ window: WINDOW + 1, hiddenUnits: hidden, layers: LAYERS, batchSize: batch, learningRate: 0.001 });

/** Samples/s of `fitForecaster` (the product's training loop) over the network's epochs, after a one-epoch warm-up. */
async function productSamplesPerSecond(net: Network, x: Float32Array, y: Float32Array, n: number): Promise<{ rate: number; trainer: string }> {
  const kit = await forecastKit();
  const p = params(net);
  const train = { x, y, count: n, features: WINDOW };
  const val = { x: x.subarray(0, VAL_WINDOWS * WINDOW), y: y.subarray(0, VAL_WINDOWS), count: VAL_WINDOWS, features: WINDOW };
  const run = async (epochs: number): Promise<FitResult> => {
    const model = kit.buildMlp(p, WINDOW);
    try {
      return await kit.fitForecaster(model, { train, val, epochs, batchSize: net.batch, patience: 0, seed: p.seed });
    } finally {
      kit.disposeModel(model);
    }
  };
  await run(1);
  const t0 = performance.now();
  const fit = await run(net.epochs);
  return { rate: (n * net.epochs) / ((performance.now() - t0) / 1000), trainer: fit.trainer };
}

async function tfjsFitSamplesPerSecond(net: Network, x: Float32Array, y: Float32Array, n: number): Promise<number> {
  const { buildMlp } = await forecastKit();
  return fitSamplesPerSecond(buildMlp(params(net), WINDOW), tf.tensor2d(x, [n, WINDOW]), tf.tensor2d(y, [n, 1]), net.batch, net.epochs);
}

const PYTORCH = `
import sys, time, numpy as np, torch
f, h, layers, batch, epochs, threads = (int(v) for v in sys.argv[2:8])
torch.set_num_threads(threads)
d = np.load(sys.argv[1]); x = torch.tensor(d['x']); y = torch.tensor(d['y'])
mods = []; inp = f
for _ in range(layers): mods += [torch.nn.Linear(inp, h), torch.nn.ReLU()]; inp = h
model = torch.nn.Sequential(*mods, torch.nn.Linear(inp, 1))
${TORCH_TIMED_EPOCHS}`;

const ratio = (ours: number, peer: number | string) => (typeof peer === 'number' ? (ours / peer).toFixed(3) : '-');
const rate = (v: number | string) => (typeof v === 'number' ? v.toFixed(0) : v);

export async function trainMlp(): Promise<void> {
  const backend = await selectBackend('wasm');
  // Standard-scaled windows of values in, the next value out: the shape of the product's MLP input.
  const { x, y, n } = seattleWindows(WINDOW);
  const data = { x, y, n, features: WINDOW };
  const cores = cpus().length;
  for (const net of NETWORKS) {
    const args = [WINDOW, net.hidden, LAYERS, net.batch, net.epochs];
    // Ours and the peer back to back, one thread each, then the peer on every core.
    const product = await productSamplesPerSecond(net, x, y, n);
    const torch1 = torchSamplesPerSecond('mlp', data, PYTORCH, [...args, 1]);
    const tfjs = await tfjsFitSamplesPerSecond(net, x, y, n);
    const torchAll = torchSamplesPerSecond('mlp', data, PYTORCH, [...args, cores]);
    process.stdout.write(
      `MLP ${WINDOW} -> ${net.hidden} x ${LAYERS} -> 1, Adam, MSE, batch ${net.batch}, ${n} windows x ${net.epochs} epochs ` +
        `(ours: the product's fitForecaster, validating ${VAL_WINDOWS} windows per epoch)\n` +
        `| trainer | threads | samples/s | ratio to PyTorch, 1 thread | ratio to PyTorch, ${cores} threads |\n| --- | --- | --- | --- | --- |\n` +
        `| Trainyard: fitForecaster on ${product.trainer} | 1 | ${rate(product.rate)} | ${ratio(product.rate, torch1)} | ${ratio(product.rate, torchAll)} |\n` +
        `| Trainyard before: tfjs ${backend.name} model.fit | 1 | ${rate(tfjs)} | ${ratio(tfjs, torch1)} | ${ratio(tfjs, torchAll)} |\n` +
        `| PyTorch CPU | 1 | ${rate(torch1)} | | |\n` +
        `| PyTorch CPU | ${cores} | ${rate(torchAll)} | | |\n\n`,
    );
  }
}
