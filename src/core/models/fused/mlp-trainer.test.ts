import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../compute';
import { referenceKernels } from '../../kernels';
import type { FitOptions } from '../forecast/fit';
import { resolveMlpParams } from '../forecast/mlp';
import { buildMlp, disposeModel } from '../forecast/mlp-network';
import { DenseTrainer } from './dense-trainer';
import { denseTrainerContract } from '../../../../test/helpers/dense-trainer-contract';
import { expectAllClose, fitMlp, windows } from '../../../../test/helpers/fit-windows';

let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'trainyard-fused-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const FEATURES = 11;

const params = resolveMlpParams({ window: FEATURES + 1, hiddenUnits: 16, layers: 2, epochs: 4, batchSize: 16, learningRate: 0.01, seed: 7 });
const train = windows(120, 0, FEATURES); // 7.5 batches: the last one is short
const val = windows(30, 500, FEATURES);

const fit = (extra: Partial<FitOptions> = {}) => fitMlp(params, { train, val }, extra);

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

  denseTrainerContract({ trainer: 'auto', params, train, val, dir: () => dir, fallbackSays: /kernels train, on a CPU backend.*activation tanh, not relu/ });

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
