import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../compute';
import { referenceKernels } from '../../kernels';
import { buildRecurrent } from '../forecast/networks';
import { resolveRecurrentParams } from '../forecast/recurrent';
import { permutation, seededRandom } from '../random';
import { FusedLstm, lstmArenaFloats, type LstmShape } from './lstm';
import type { AdamSettings } from '../tfjs-state';

beforeAll(async () => {
  await selectBackend('cpu');
});

/** Windows of two noisy sine channels; the target is the next value of the first. */
function windows(count: number, steps: number, channels: number): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(count * steps * channels);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < steps; t++) {
      for (let c = 0; c < channels; c++) x[(i * steps + t) * channels + c] = Math.sin(0.3 * (i + t) + c) + 0.1 * Math.cos(7.1 * (i + t * c));
    }
    y[i] = Math.sin(0.3 * (i + steps));
  }
  return { x, y };
}

function tfjsModel(shape: LstmShape, learningRate: number): tf.Sequential {
  const p = resolveRecurrentParams('lstm', { units: shape.units, layers: shape.layers, learningRate, seed: 7 });
  return buildRecurrent('lstm', p, { steps: shape.steps, channels: shape.channels });
}

function fusedFrom(model: tf.LayersModel, shape: LstmShape, batch: number): FusedLstm {
  const net = new FusedLstm(referenceKernels(lstmArenaFloats(shape, batch)), shape, batch);
  net.setWeights(model.getWeights().map((w) => w.dataSync()));
  return net;
}

const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe('FusedLstm', () => {
  for (const layers of [1, 2]) {
    it(`trains as tfjs's LSTM does, batch by batch over epochs (${layers} layer${layers > 1 ? 's' : ''})`, async () => {
      const shape: LstmShape = { steps: 6, channels: 2, units: 5, layers };
      const batch = 16;
      const count = 40; // the last batch of each epoch is short (8)
      const { x, y } = windows(count, shape.steps, shape.channels);
      const lr = 0.01;
      const model = tfjsModel(shape, lr);
      const net = fusedFrom(model, shape, batch);
      const adam: AdamSettings = { learningRate: lr, beta1: 0.9, beta2: 0.999, epsilon: tf.backend().epsilon() };
      const rand = seededRandom(3);
      const ours: number[] = [];
      const theirs: number[] = [];
      try {
        for (let epoch = 0; epoch < 4; epoch++) {
          const order = permutation(count, rand);
          let a = 0;
          let b = 0;
          for (let from = 0; from < count; from += batch) {
            const to = Math.min(count, from + batch);
            const rows = Array.from(order.subarray(from, to));
            const n = net.loadBatch(x, y, order, from, to);
            a += net.trainBatch(n, adam) * n;
            const bx = tf.tensor3d(rows.flatMap((r) => Array.from(x.subarray(r * 12, r * 12 + 12))), [n, shape.steps, shape.channels]);
            const by = tf.tensor2d(rows.map((r) => y[r]), [n, 1]);
            b += ((await model.trainOnBatch(bx, by)) as number) * n;
            bx.dispose();
            by.dispose();
          }
          ours.push(a / count);
          theirs.push(b / count);
        }
        for (let e = 0; e < ours.length; e++) expect(Math.abs(ours[e] - theirs[e])).toBeLessThan(1e-5 * Math.max(1, theirs[e]));
        expect(ours[3]).toBeLessThan(ours[0]); // it learns, so the comparison is not of two idle networks
        const want = model.getWeights().map((w) => w.dataSync());
        const got = net.getWeights();
        for (let i = 0; i < want.length; i++) expect(maxDiff(got[i], want[i])).toBeLessThan(1e-4);
        // The held-out loss is tfjs's predict, too.
        const px = tf.tensor3d(x, [count, shape.steps, shape.channels]);
        const pred = model.predict(px) as tf.Tensor;
        const tfjsLoss = tf.losses.meanSquaredError(tf.tensor2d(y, [count, 1]), pred).dataSync()[0];
        expect(Math.abs(net.loss(x, y, count) - tfjsLoss)).toBeLessThan(1e-5);
      } finally {
        model.dispose();
      }
    });
  }

  it('has the gradients of finite differences on a tiny network', () => {
    const shape: LstmShape = { steps: 3, channels: 2, units: 3, layers: 2 };
    const count = 4;
    const { x, y } = windows(count, shape.steps, shape.channels);
    const k = referenceKernels(lstmArenaFloats(shape, count));
    const net = new FusedLstm(k, shape, count);
    // Weights small enough that no hard sigmoid sits on a corner, where the slope jumps.
    const rand = seededRandom(11);
    net.setWeights(net.weightSizes.map((n) => Float32Array.from({ length: n }, () => (rand() - 0.5) * 0.8)));
    const n = net.loadBatch(x, y, null, 0, count);
    net.forward(n);
    net.backward(n);
    const params = (net as unknown as { params: number }).params;
    const grads = (net as unknown as { grads: number }).grads;
    const analytic = k.heap.slice(grads, grads + net.weightSizes.reduce((a, b) => a + Math.ceil(b / 4) * 4, 0));
    const h = 1e-2;
    let checked = 0;
    for (let i = 0; i < analytic.length; i++) {
      const w = k.heap[params + i];
      k.heap[params + i] = w + h;
      const up = net.forward(n);
      k.heap[params + i] = w - h;
      const down = net.forward(n);
      k.heap[params + i] = w;
      const numeric = (up - down) / (2 * h);
      // float32 arithmetic: the central difference is good to about 1e-4 at this step size.
      expect(Math.abs(numeric - analytic[i])).toBeLessThan(2e-3 * Math.max(1, Math.abs(analytic[i])));
      if (analytic[i] !== 0) checked++;
    }
    expect(checked).toBeGreaterThan(60);
  });

  it('says so when weights do not fit the network', () => {
    const shape: LstmShape = { steps: 3, channels: 1, units: 2, layers: 1 };
    const net = new FusedLstm(referenceKernels(lstmArenaFloats(shape, 4)), shape, 4);
    expect(() => net.setWeights([new Float32Array(3)])).toThrow(/do not fit the network/);
    expect(() => new FusedLstm(referenceKernels(100), { ...shape, units: 0 }, 4)).toThrow(/units must be a positive integer/);
  });
});
