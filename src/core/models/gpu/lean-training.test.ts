import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { denseTrainerContract } from '../../../../test/helpers/dense-trainer-contract';
import { expectAllClose, fitMlp, windows } from '../../../../test/helpers/fit-windows';
import { selectBackend } from '../../compute';
import { networkTrainingFor } from '../choose-trainer';
import type { FitOptions } from '../forecast/fit';
import { resolveMlpParams } from '../forecast/mlp';
import { buildMlp, disposeModel } from '../forecast/mlp-network';
import { tfjsTrainee } from '../train-loop';
import { dispatchesOf, leanDispatches } from './lean-dense-step';
import { READ_EVERY } from './loss-reads';

// No GPU here: the lean step runs on wasm, forced with trainer 'lean' (on a GPU backend 'auto' picks it).
let dir: string;
beforeAll(async () => {
  await selectBackend('wasm');
  dir = await mkdtemp(join(tmpdir(), 'trainyard-lean-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const FEATURES = 11;
const params = resolveMlpParams({ window: FEATURES + 1, hiddenUnits: 16, layers: 2, epochs: 4, batchSize: 16, learningRate: 0.01, seed: 7 });
// 38 batches an epoch, the last one short: losses are read at batches 16 and 32, and the last 6 at the epoch's end.
const train = windows(600, 0, FEATURES);
const val = windows(40, 900, FEATURES);
const lean = (extra: Partial<FitOptions> = {}) => fitMlp(params, { train, val }, { trainer: 'lean', ...extra });

describe('the MLP on the lean dense step, as fitForecaster trains it', () => {
  it('trains the same model as tfjs and as the CPU kernels: the same losses epoch by epoch and the same weights', async () => {
    expect(Math.ceil(train.count / params.batchSize) % READ_EVERY).not.toBe(0);
    const ours = await lean();
    const tfjs = await fitMlp(params, { train, val }, { trainer: 'tfjs' });
    const kernels = await fitMlp(params, { train, val });
    expect(ours.result.trainer).toBe("Trainyard's lean dense step on TensorFlow.js (wasm backend)");
    expect(kernels.result.trainer).toBe("Trainyard's wasm-simd kernels");
    expect(ours.result.epochsRun).toBe(4);
    expect(ours.result.loss[3]).toBeLessThan(ours.result.loss[0] * 0.8);
    expectAllClose(ours.result.loss, tfjs.result.loss, 1e-4, 'loss');
    expectAllClose(ours.result.valLoss, tfjs.result.valLoss, 1e-4, 'valLoss');
    expect(ours.result.bestEpoch).toBe(tfjs.result.bestEpoch);
    // Weights against the kernels, which compute Adam's beta^t as this step does: tfjs keeps it as a
    // running float32 product, and over 152 steps that rounding moves the weights whose gradients are
    // near zero (where Adam's step is the gradient's sign) by up to 0.025 from both of Trainyard's.
    ours.weights.forEach((w, i) => expectAllClose(w, kernels.weights[i], 1e-4, `weights ${i}`));
  });

  denseTrainerContract({ trainer: 'lean', params, train, val, dir: () => dir, fallbackSays: /lean step trains dense ReLU networks .*activation tanh, not relu/ });

  it('dispatches about a third of the ops per batch that tfjs trainOnBatch does: the lean step and two gathers', async () => {
    const model = buildMlp(params, FEATURES);
    const own = await networkTrainingFor(model, { trainer: 'lean', batchSize: 16, train, val, flatInput: true });
    if (!('trainee' in own)) throw new Error(own.why);
    const order = Int32Array.from({ length: train.count }, (_, i) => i);
    await own.trainee.trainBatch(order, 0, 16); // tfjs makes Adam's slots on the first step
    const [x, y] = [tf.tensor2d(train.x, [train.count, FEATURES]), tf.tensor2d(train.y, [train.count, 1])];
    const byTfjs = tfjsTrainee(model, {
      options: { epochs: 1, batchSize: 16 },
      count: train.count,
      rand: { next: () => 0, state: 0 } as never,
      hint: {},
      history: { epochsRun: 0, bestEpoch: 0, bestValLoss: Infinity, loss: [], valLoss: [] },
      best: null as never,
      batch: (o, from, to) => ({ x: tf.gather(x, o.subarray(from, to)), y: tf.gather(y, o.subarray(from, to)) }),
      val: { x, y },
    });
    await byTfjs.trainBatch(order, 0, 16);
    const ours = await dispatchesOf(() => own.trainee.trainBatch(order, 16, 32));
    const theirs = await dispatchesOf(() => byTfjs.trainBatch(order, 16, 32));
    // The three-layer lean step, the loss added up on the device, and the batch's two gathers.
    expect(ours).toBe(leanDispatches(3) + 1 + 2);
    expect(ours * 2.5).toBeLessThan(theirs);
    own.dispose?.();
    tf.dispose([x, y]);
    disposeModel(model);
  });
});
