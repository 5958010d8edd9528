/**
 * Training throughput of Trainyard's LSTM forecaster network (TensorFlow.js, wasm backend) against
 * the same network, data and batch size in PyTorch on the CPU (Debian's python3-torch), in one run.
 * Data: lag windows of the bundled Seattle hourly temperature normals (window 24, one channel).
 * Recurrent layers run step by step, so fewer windows than the MLP benchmark keep it short.
 */
import * as tf from '@tensorflow/tfjs';
import { selectBackend } from '../src/core/compute';
import { forecastKit, resolveRecurrentParams } from '../src/core/models';
import { TORCH_TIMED_EPOCHS, fitSamplesPerSecond, printThroughput, seattleWindows, torchSamplesPerSecond } from './train-peer';

const WINDOW = 24;
const UNITS = 32;
const BATCH = 64;
const EPOCHS = 2;
const WINDOWS = 2048;

async function tfjsSamplesPerSecond(x: Float32Array, y: Float32Array, n: number): Promise<number> {
  const p = resolveRecurrentParams('lstm', { units: UNITS, layers: 1, batchSize: BATCH, learningRate: 0.001 });
  const { buildRecurrent } = await forecastKit();
  const model = buildRecurrent('lstm', p, { steps: WINDOW, channels: 1 });
  return fitSamplesPerSecond(model, tf.tensor3d(x, [n, WINDOW, 1]), tf.tensor2d(y, [n, 1]), BATCH, EPOCHS);
}

const PYTORCH = `
import sys, time, numpy as np, torch
torch.set_num_threads(1)
d = np.load(sys.argv[1]); steps, units, batch, epochs = (int(v) for v in sys.argv[2:6])
x = torch.tensor(d['x']).reshape(-1, steps, 1); y = torch.tensor(d['y'])
class Net(torch.nn.Module):
    def __init__(self):
        super().__init__(); self.lstm = torch.nn.LSTM(1, units, batch_first=True); self.out = torch.nn.Linear(units, 1)
    def forward(self, x):
        h, _ = self.lstm(x); return self.out(h[:, -1, :])
model = Net()
${TORCH_TIMED_EPOCHS}`;

export async function trainLstm(): Promise<void> {
  const backend = await selectBackend('wasm');
  const all = seattleWindows(WINDOW);
  const n = Math.min(WINDOWS, all.n);
  const x = all.x.slice(0, n * WINDOW);
  const y = all.y.slice(0, n);
  const ours = await tfjsSamplesPerSecond(x, y, n);
  const peer = torchSamplesPerSecond('lstm', { x, y, n, features: WINDOW }, PYTORCH, [WINDOW, UNITS, BATCH, EPOCHS]);
  printThroughput(
    `LSTM 1 -> ${UNITS} over ${WINDOW} steps -> dense 1, Adam, MSE, batch ${BATCH}, ${n} windows x ${EPOCHS} epochs, one thread each`,
    backend.name,
    ours,
    peer,
  );
}
