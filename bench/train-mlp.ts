/**
 * Training throughput of Trainyard's MLP forecaster network (TensorFlow.js, wasm backend) against the
 * same network, data and batch size in PyTorch on the CPU (Debian's python3-torch), in one run.
 * Data: lag windows of the bundled Seattle hourly temperature normals (8,759 rows, window 24).
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/compute';
import { forecastKit, resolveMlpParams } from '../src/core/models';
import { TORCH_TIMED_EPOCHS, fitSamplesPerSecond, printThroughput, seattleWindows, torchSamplesPerSecond } from './train-peer';

const WINDOW = 24;
const HIDDEN = 64;
const LAYERS = 2;
const BATCH = 64;
const EPOCHS = 5;

async function tfjsSamplesPerSecond(x: Float32Array, y: Float32Array, n: number, features: number): Promise<number> {
  const { buildMlp } = await forecastKit();
  const model = buildMlp(resolveMlpParams({ window: WINDOW + 1, hiddenUnits: HIDDEN, layers: LAYERS, batchSize: BATCH }) as never);
  return fitSamplesPerSecond(model, tf.tensor2d(x, [n, features]), tf.tensor2d(y, [n, 1]), BATCH, EPOCHS);
}

const PYTORCH = `
import sys, time, numpy as np, torch
torch.set_num_threads(1)
d = np.load(sys.argv[1]); x = torch.tensor(d['x']); y = torch.tensor(d['y'])
f, h, layers, batch, epochs = (int(v) for v in sys.argv[2:7])
mods = []; inp = f
for _ in range(layers): mods += [torch.nn.Linear(inp, h), torch.nn.ReLU()]; inp = h
model = torch.nn.Sequential(*mods, torch.nn.Linear(inp, 1))
${TORCH_TIMED_EPOCHS}`;

export async function trainMlp(): Promise<void> {
  const backend = await selectBackend('wasm');
  // Standard-scaled windows of values in, the next value out: the shape of the product's MLP input.
  const { x, y, n } = seattleWindows(WINDOW);
  const features = WINDOW;
  const ours = await tfjsSamplesPerSecond(x, y, n, features);
  const peer = torchSamplesPerSecond('mlp', { x, y, n, features }, PYTORCH, [features, HIDDEN, LAYERS, BATCH, EPOCHS]);
  printThroughput(
    `MLP ${features} -> ${HIDDEN} x ${LAYERS} -> 1, Adam, MSE, batch ${BATCH}, ${n} windows x ${EPOCHS} epochs, one thread each`,
    backend.name,
    ours,
    peer,
  );
}
