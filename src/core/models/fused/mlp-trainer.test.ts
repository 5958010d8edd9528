import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../compute';
import { referenceKernels } from '../../kernels';
import { readCheckpoint, writeCheckpoint, type TrainingSnapshot } from '../forecast/checkpoint';
import { fitForecaster, type FitOptions, type FitResult, type FitSet } from '../forecast/fit';
import { resolveMlpParams } from '../forecast/mlp';
import { buildMlp, disposeModel } from '../forecast/mlp-network';
import { DenseTrainer } from './dense-trainer';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'trainyard-fused-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const FEATURES = 11;

/** A nonlinear toy series of windows: the target is a bent mix of the inputs. */
function windows(count: number, offset: number): FitSet {
  const x = new Float32Array(count * FEATURES);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let j = 0; j < FEATURES; j++) {
      const v = Math.sin((i + offset) * 0.37 + j * 0.91) + 0.3 * Math.cos((i + offset) * 0.11 * j);
      x[i * FEATURES + j] = v;
      sum += v * (j % 3 === 0 ? 1 : -0.5);
    }
    y[i] = Math.tanh(sum / 3) + 0.1;
  }
  return { x, y, count, features: FEATURES };
}

const params = resolveMlpParams({ window: FEATURES + 1, hiddenUnits: 16, layers: 2, epochs: 4, batchSize: 16, learningRate: 0.01, seed: 7 });
const train = windows(120, 0); // 7.5 batches: the last one is short
const val = windows(30, 500);

async function fit(extra: Partial<FitOptions> = {}): Promise<{ result: FitResult; weights: Float32Array[] }> {
  const model = buildMlp(params, FEATURES);
  try {
    const result = await fitForecaster(model, { ...params, train, val, patience: 0, ...extra });
    return { result, weights: model.getWeights().map((w) => w.dataSync() as Float32Array) };
  } finally {
    disposeModel(model);
  }
}

function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i])));
  }
}

describe('the MLP on Trainyard kernels', () => {
  it('trains the same model as tfjs: the same losses epoch by epoch and the same final weights', async () => {
    const kernels = await fit();
    const tfjs = await fit({ trainer: 'tfjs' });
    expect(kernels.result.trainer).toBe("Trainyard's wasm-simd kernels");
    expect(tfjs.result.trainer).toBe('TensorFlow.js (wasm backend)');
    expect(kernels.result.epochsRun).toBe(4);
    // Training moved: the comparison below is between two trained models, not two initial ones.
    expect(kernels.result.loss[3]).toBeLessThan(kernels.result.loss[0] * 0.8);
    expectAllClose(kernels.result.loss, tfjs.result.loss, 1e-4, 'loss');
    expectAllClose(kernels.result.valLoss, tfjs.result.valLoss, 1e-4, 'valLoss');
    expect(kernels.result.bestEpoch).toBe(tfjs.result.bestEpoch);
    kernels.weights.forEach((w, i) => expectAllClose(w, tfjs.weights[i], 1e-3, `weights ${i}`));
  });

  it('is deterministic for a seed, and another seed gives another model', async () => {
    const a = await fit();
    const b = await fit();
    expect(a.result.loss).toEqual(b.result.loss);
    expect(a.result.valLoss).toEqual(b.result.valLoss);
    a.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(b.weights[i])));
    const c = await fit({ seed: 8 });
    expect(c.result.loss).not.toEqual(a.result.loss);
  });

  it('resumes from its checkpoint to the same model as an uninterrupted run, and tfjs resumes from it too', async () => {
    const fingerprint = 'fused-test';
    const whole = await fit();
    let saved: string | null = null;
    await fit({
      epochs: 4,
      checkpoint: {
        every: 2,
        save: async (s: TrainingSnapshot) => {
          if (s.epoch === 2) saved = await writeCheckpoint(dir, fingerprint, s);
        },
      },
    });
    expect(saved).not.toBeNull();
    const read = await readCheckpoint(dir, fingerprint);
    if (!read.found || !read.usable) throw new Error('checkpoint unreadable');
    // The checkpoint holds what tfjs's Adam would: the step count and every moment.
    const iter = read.snapshot.optimizer.find((s) => s.name === 'iter');
    expect(iter?.tensor.dataSync()[0]).toBe(2 * Math.ceil(120 / 16));
    expect(read.snapshot.optimizer.length).toBe(1 + 2 * 6);
    const resumed = await fit({ resume: read.snapshot });
    expect(resumed.result.resumedFrom).toBe(2);
    expect(resumed.result.loss).toEqual(whole.result.loss);
    resumed.weights.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(whole.weights[i])));
    const byTfjs = await fit({ resume: read.snapshot, trainer: 'tfjs' });
    expectAllClose(byTfjs.result.loss, whole.result.loss, 1e-4, 'loss resumed by tfjs');
    read.snapshot.weights.concat(read.snapshot.optimizer.map((s) => s.tensor), read.snapshot.best ?? []).forEach((t) => t.dispose());
  });

  it('stops at the next batch on cancel, leaving the weights it reached in the model, and frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    let batches = 0;
    const model = buildMlp(params, FEATURES);
    const start = model.getWeights().map((w) => Array.from(w.dataSync()));
    const result = await fitForecaster(model, { ...params, train, val, patience: 0, onBatch: () => batches++, shouldStop: () => batches >= 3 });
    expect(result.stopped).toBe('cancelled');
    expect(batches).toBe(3);
    expect(Array.from(model.getWeights()[0].dataSync())).not.toEqual(start[0]);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reports a diverging loss as Diverged', async () => {
    const huge = { ...train, y: train.y.map((v) => v * 1e30) };
    await expect(fit({ train: huge })).rejects.toThrow(/diverged: the loss became (NaN|infinite) at epoch 1/);
  });

  it('falls back to tfjs, saying why, for a network the kernels do not train', async () => {
    const messages: string[] = [];
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 4, inputShape: [FEATURES], activation: 'tanh' }), tf.layers.dense({ units: 1 })] });
    model.compile({ optimizer: tf.train.adam(0.01), loss: 'meanSquaredError' });
    const result = await fitForecaster(model, { ...params, epochs: 1, train, val, patience: 0, log: (m) => messages.push(m) });
    expect(result.trainer).toBe('TensorFlow.js (wasm backend)');
    expect(messages.join('\n')).toMatch(/activation tanh, not relu/);
    disposeModel(model);
  });

  it('trains alike on the JavaScript reference kernels', async () => {
    const sizes = [FEATURES, 16, 16, 1];
    const adam = { learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
    const js = new DenseTrainer(referenceKernels, { sizes }, adam, 16);
    const wasm = await fit({ epochs: 1 });
    const model = buildMlp(params, FEATURES);
    js.parameterViews().forEach((view, i) => view.set(model.getWeights()[i].dataSync() as Float32Array));
    disposeModel(model);
    expect(js.kernelsName).toBe('js');
    // One epoch in the seeded order fitForecaster uses.
    const { permutation, seededRandom } = await import('../random');
    const order = permutation(train.count, seededRandom(params.seed));
    let sum = 0;
    for (let from = 0; from < train.count; from += 16) sum += js.trainBatch(train, order, from, Math.min(from + 16, train.count)) * (Math.min(from + 16, train.count) - from);
    expectAllClose([sum / train.count], [wasm.result.loss[0]], 1e-5, 'epoch loss');
    js.parameterViews().forEach((w, i) => expectAllClose(w, wasm.weights[i], 1e-4, `weights ${i}`));
    expect(() => js.trainBatch(train, order, 0, 17)).toThrow(/a batch has 1 to 16 rows, not 17/);
  });
});
