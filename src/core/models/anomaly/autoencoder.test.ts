import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../compute';
import { fitAutoencoder } from './autoencoder-fit';
import { buildAutoencoder, disposeAutoencoder, reconstructionErrors } from './autoencoder-network';
import { resolveAutoencoderParams } from './params';
import { windowMatrix } from './windows';

beforeAll(async () => {
  await selectBackend();
});

/** Windows of a clean sine wave: a shape an autoencoder can learn. */
function sineWindows(window: number, rows: number, phase = 0): Float64Array {
  return windowMatrix(Float64Array.from({ length: rows }, (_, i) => Math.sin((i + phase) / 3)), window).x;
}

const p = resolveAutoencoderParams({ window: 8, hiddenUnits: 16, bottleneck: 2, epochs: 15, batchSize: 16, patience: 0 });

describe('autoencoder', () => {
  it('gives the same losses for the same seed, lowers the loss, and frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    const run = async () => {
      const model = buildAutoencoder(p);
      try {
        return await fitAutoencoder(model, { ...p, train: sineWindows(8, 200), val: sineWindows(8, 60, 1000) });
      } finally {
        disposeAutoencoder(model);
      }
    };
    const a = await run();
    const b = await run();
    expect(a.loss).toEqual(b.loss);
    expect(a.loss[a.loss.length - 1]).toBeLessThan(a.loss[0] / 2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('reconstructs a window it learned better than a window with a spike in it', async () => {
    const model = buildAutoencoder({ ...p, epochs: 40 });
    try {
      await fitAutoencoder(model, { ...p, epochs: 40, train: sineWindows(8, 300), val: sineWindows(8, 60, 500) });
      const clean = sineWindows(8, 8, 77);
      const spiked = clean.slice();
      spiked[4] += 3;
      const errClean = await reconstructionErrors(model, clean, 8);
      const errSpiked = await reconstructionErrors(model, spiked, 8);
      expect(errSpiked[4]).toBeGreaterThan(10 * Math.max(...errClean));
    } finally {
      disposeAutoencoder(model);
    }
  });

  it('fails with "diverged" when the loss becomes NaN, and stops at the next batch when asked', async () => {
    const model = buildAutoencoder(p);
    const train = sineWindows(8, 100);
    train[13] = NaN;
    await expect(fitAutoencoder(model, { ...p, train, val: sineWindows(8, 30) })).rejects.toThrow(
      'diverged: the loss became NaN at epoch 1; try a lower learningRate (now 0.003)',
    );
    disposeAutoencoder(model);
    const fresh = buildAutoencoder(p);
    let batches = 0;
    const r = await fitAutoencoder(fresh, {
      ...p,
      train: sineWindows(8, 100),
      val: sineWindows(8, 30),
      onBatch: () => batches++,
      shouldStop: () => batches >= 2,
    });
    expect(r.stopped).toBe('cancelled');
    expect(batches).toBe(2);
    disposeAutoencoder(fresh);
  });
});
