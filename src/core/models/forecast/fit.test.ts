import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../compute';
import { fitForecaster, type FitSet } from './fit';
import { resolveMlpParams } from './mlp';
import { buildMlp, disposeModel } from './mlp-network';

beforeAll(async () => {
  await selectBackend();
});

/** A learnable toy problem: the target is the mean of the inputs. */
function toy(count: number, features: number, scale = 1): FitSet {
  const x = new Float32Array(count * features);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let j = 0; j < features; j++) {
      const v = Math.sin(i * 0.7 + j * 1.3);
      x[i * features + j] = v;
      sum += v;
    }
    y[i] = (sum / features) * scale;
  }
  return { x, y, count, features };
}

const params = resolveMlpParams({ window: 5, hiddenUnits: 8, epochs: 8, batchSize: 16 });

describe('fitForecaster', () => {
  it('gives the same losses for the same seed', async () => {
    const run = async () => {
      const model = buildMlp(params);
      try {
        return await fitForecaster(model, { ...params, train: toy(80, 4), val: toy(20, 4) });
      } finally {
        disposeModel(model);
      }
    };
    const a = await run();
    const b = await run();
    expect(a.loss).toEqual(b.loss);
    expect(a.valLoss).toEqual(b.valLoss);
    expect(a.loss[a.loss.length - 1]).toBeLessThan(a.loss[0]);
  });

  it('keeps the weights of the best validation epoch and frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    const model = buildMlp(params);
    const r = await fitForecaster(model, { ...params, epochs: 12, patience: 3, train: toy(80, 4), val: toy(20, 4) });
    const val = toy(20, 4);
    const loss = tf.tidy(() =>
      tf.losses
        .meanSquaredError(tf.tensor2d(val.y, [20, 1]), model.predict(tf.tensor2d(val.x, [20, 4])) as tf.Tensor)
        .dataSync()[0],
    );
    expect(loss).toBeCloseTo(r.bestValLoss, 5);
    disposeModel(model);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops at the next batch when asked, without finishing the epoch', async () => {
    const model = buildMlp(params);
    let batches = 0;
    const r = await fitForecaster(model, {
      ...params,
      train: toy(80, 4),
      val: toy(20, 4),
      onBatch: () => batches++,
      shouldStop: () => batches >= 2,
    });
    disposeModel(model);
    expect(r.stopped).toBe('cancelled');
    expect(batches).toBe(2);
    expect(r.epochsRun).toBe(0);
  });

  it('fails with a clear message when the loss becomes NaN', async () => {
    const model = buildMlp(params);
    const train = toy(80, 4);
    train.y[3] = NaN;
    await expect(fitForecaster(model, { ...params, train, val: toy(20, 4) })).rejects.toThrow(
      /^diverged: the loss became NaN at epoch 1; try a lower learningRate/,
    );
    disposeModel(model);
  });
});
