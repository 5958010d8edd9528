import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildMlp } from '../forecast/mlp-network';
import { resolveMlpParams } from '../forecast/mlp';
import { LeanDenseStep, dispatchesOf, leanDispatches } from './lean-dense-step';


function data(n: number, features: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  const x = tf.randomNormal([n, features], 0, 1, 'float32', seed) as tf.Tensor2D;
  // A target the network can learn: a nonlinear mix of the inputs.
  const y = tf.tidy(() => tf.relu(x.slice([0, 0], [n, 1])).add(x.slice([0, 1], [n, 1]).mul(0.5))) as tf.Tensor2D;
  return { x, y };
}

describe('the lean dense training step', () => {
  it('trains the same network as the layers API: the same losses step by step and the same weights after', async () => {
    const p = resolveMlpParams({ window: 13, hiddenUnits: 16, layers: 2, learningRate: 0.01, seed: 7 });
    const reference = buildMlp(p);
    const lean = new LeanDenseStep(reference.getWeights(), { learningRate: p.learningRate });
    const { x, y } = data(48, 12, 3);
    try {
      for (let i = 0; i < 30; i++) {
        const expected = (await reference.trainOnBatch(x, y)) as number;
        expect(lean.trainOnBatch(x, y)).toBeCloseTo(expected, 5);
      }
      const ours = lean.weights();
      const theirs = reference.getWeights();
      ours.forEach((w, i) => {
        expect(w.shape).toEqual(theirs[i].shape);
        expect(tf.max(tf.abs(tf.sub(w, theirs[i]))).dataSync()[0]).toBeLessThan(1e-4);
      });
      tf.dispose(ours); // theirs are the model's own variables
    } finally {
      lean.dispose();
      reference.dispose();
      tf.dispose([x, y]);
    }
  });

  it('steps without a read back give the same mean loss as reading each step', async () => {
    const p = resolveMlpParams({ window: 9, hiddenUnits: 8, layers: 2, learningRate: 0.01, seed: 2 });
    const model = buildMlp(p);
    const reading = new LeanDenseStep(model.getWeights(), { learningRate: 0.01 });
    const deferred = new LeanDenseStep(model.getWeights(), { learningRate: 0.01 });
    const batches = [data(16, 8, 1), data(16, 8, 2), data(8, 8, 3)];
    let sum = 0;
    for (const b of batches) {
      sum += reading.trainOnBatch(b.x, b.y) * b.x.shape[0];
      deferred.step(b.x, b.y);
    }
    expect(await deferred.takeMeanLoss()).toBeCloseTo(sum / 40, 5);
    expect(Number.isNaN(await deferred.takeMeanLoss())).toBe(true); // nothing since
    [reading, deferred].forEach((l) => l.dispose());
    model.dispose();
    batches.forEach((b) => tf.dispose([b.x, b.y]));
  });

  it('learns (the loss falls) and a bad weight list is refused', () => {
    const p = resolveMlpParams({ window: 13, hiddenUnits: 16, layers: 1, learningRate: 0.01, seed: 1 });
    const model = buildMlp(p);
    const before = tf.memory().numTensors;
    const lean = new LeanDenseStep(model.getWeights(), { learningRate: 0.01 });
    const { x, y } = data(64, 12, 5);
    const first = lean.trainOnBatch(x, y);
    let last = first;
    for (let i = 0; i < 200; i++) last = lean.trainOnBatch(x, y);
    expect(last).toBeLessThan(first / 3);
    expect(() => new LeanDenseStep(model.getWeights().slice(0, 3), { learningRate: 0.01 })).toThrow(/kernel and a bias per layer; got 3/);
    lean.dispose();
    // Training and disposing leave nothing behind but the data.
    expect(tf.memory().numTensors).toBe(before + 2);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('runs a fraction of the ops trainOnBatch runs per step, as many as leanDispatches says', async () => {
    const p = resolveMlpParams({ window: 65, hiddenUnits: 64, layers: 2, seed: 3 });
    const model = buildMlp(p);
    const lean = new LeanDenseStep(model.getWeights(), { learningRate: 0.001 });
    const { x, y } = data(32, 64, 9);
    await model.trainOnBatch(x, y); // the optimizer's slots are made on the first step
    lean.trainOnBatch(x, y);
    const layersApi = await dispatchesOf(() => model.trainOnBatch(x, y));
    const ours = await dispatchesOf(() => lean.trainOnBatch(x, y));
    expect(ours).toBe(leanDispatches(3));
    expect(ours * 3).toBeLessThan(layersApi);
    lean.dispose();
    model.dispose();
    tf.dispose([x, y]);
  });
});
