import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseTrainerContract } from '../../../../test/helpers/dense-trainer-contract';
import { expectAllClose, fitMlp, windows } from '../../../../test/helpers/fit-windows';
import { useSwiftShader } from '../../../../test/helpers/software-gpu';
import { selectBackend } from '../../compute';
import { resolveMlpParams } from '../forecast/mlp';

// The product's own webgpu backend (probe, activation, tfjs-backend-webgpu) on a real WebGPU device:
// Dawn on SwiftShader (test/helpers/software-gpu.ts). On it 'auto' trains dense networks with the WGSL trainer.
let dir: string;
beforeAll(async () => {
  useSwiftShader();
  const backend = await selectBackend('webgpu');
  expect(backend.device).toMatch(/^gpu: google/);
  dir = await mkdtemp(join(tmpdir(), 'trainyard-wgsl-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const FEATURES = 11;
const params = resolveMlpParams({ window: FEATURES + 1, hiddenUnits: 16, layers: 2, epochs: 4, batchSize: 16, learningRate: 0.01, seed: 7 });
// 38 batches an epoch, the last one short: losses are read at batches 16 and 32, and the last 6 at the epoch's end.
const train = windows(600, 0, FEATURES);
const val = windows(40, 900, FEATURES);

describe('the MLP on the WGSL dense trainer, as fitForecaster trains it on the webgpu backend', () => {
  it('trains the same model as the lean step on the same backend: the same losses epoch by epoch and the same weights', async () => {
    const ours = await fitMlp(params, { train, val });
    const lean = await fitMlp(params, { train, val }, { trainer: 'lean' });
    expect(ours.result.trainer).toBe("Trainyard's WGSL dense trainer on WebGPU");
    expect(lean.result.trainer).toBe("Trainyard's lean dense step on TensorFlow.js (webgpu backend)");
    expect(ours.result.epochsRun).toBe(4);
    expect(ours.result.loss[3]).toBeLessThan(ours.result.loss[0] * 0.8);
    expectAllClose(ours.result.loss, lean.result.loss, 1e-4, 'loss');
    expectAllClose(ours.result.valLoss, lean.result.valLoss, 1e-4, 'valLoss');
    expect(ours.result.bestEpoch).toBe(lean.result.bestEpoch);
    ours.weights.forEach((w, i) => expectAllClose(w, lean.weights[i], 1e-4, `weights ${i}`));
  });

  denseTrainerContract({ trainer: 'auto', params, train, val, dir: () => dir, fallbackSays: /lean step trains dense ReLU networks .*activation tanh, not relu/ });

  it('keeps tfjs on the webgpu backend for the model it hands back: predict runs there', () => {
    expect(tf.getBackend()).toBe('webgpu');
  });
});
