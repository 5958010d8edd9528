import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../compute';
import { readCheckpoint, writeCheckpoint } from '../forecast/checkpoint';
import { fitForecaster, type FitOptions, type FitSet } from '../forecast/fit';
import { buildRecurrent } from '../forecast/networks';
import { resolveRecurrentParams } from '../forecast/recurrent';
import { trainsFused } from './lstm-model';

let dir = '';
beforeAll(async () => {
  await selectBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'trainyard-fused-lstm-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const STEPS = 5;

function set(count: number, offset: number): FitSet {
  const x = new Float32Array(count * STEPS);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    for (let t = 0; t < STEPS; t++) x[i * STEPS + t] = Math.sin(0.4 * (offset + i + t));
    y[i] = Math.sin(0.4 * (offset + i + STEPS));
  }
  return { x, y, count, features: STEPS, sampleShape: [STEPS, 1] };
}

const build = (layers: number) =>
  buildRecurrent('lstm', resolveRecurrentParams('lstm', { units: 6, layers, learningRate: 0.01, seed: 5 }), { steps: STEPS, channels: 1 });

const base = (): FitOptions => ({ train: set(50, 0), val: set(20, 60), epochs: 4, batchSize: 16, patience: 0, seed: 9 });

const weightsOf = (m: tf.LayersModel) => m.getWeights().map((w) => Array.from(w.dataSync()));

function expectClose(a: number[][], b: number[][], tolerance: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((w, i) => w.forEach((v, j) => expect(Math.abs(v - b[i][j])).toBeLessThan(tolerance)));
}

describe('fitForecaster on the fused LSTM trainer', () => {
  it('takes the LSTM on a CPU backend, and not the GRU', () => {
    const lstm = build(1);
    const gru = buildRecurrent('gru', resolveRecurrentParams('gru', { units: 4 }), { steps: STEPS, channels: 1 });
    expect(trainsFused(lstm)).toBe(true);
    expect(trainsFused(gru)).toBe(false);
    lstm.dispose();
    gru.dispose();
  });

  for (const layers of [1, 2]) {
    it(`gives tfjs's losses and weights (${layers} layer${layers > 1 ? 's' : ''})`, async () => {
      const a = build(layers);
      const b = build(layers);
      const fused = await fitForecaster(a, base());
      const tfjs = await fitForecaster(b, { ...base(), trainer: 'tfjs' });
      expect(fused.epochsRun).toBe(4);
      fused.loss.forEach((l, i) => expect(Math.abs(l - tfjs.loss[i])).toBeLessThan(1e-5));
      fused.valLoss.forEach((l, i) => expect(Math.abs(l - tfjs.valLoss[i])).toBeLessThan(1e-5));
      expect(fused.bestEpoch).toBe(tfjs.bestEpoch);
      expect(fused.loss[3]).toBeLessThan(fused.loss[0]);
      expectClose(weightsOf(a), weightsOf(b), 1e-4);
      a.dispose();
      b.dispose();
    });
  }

  it('resumes from its checkpoint as if never stopped, with Adam state in tfjs names', async () => {
    const straight = build(1);
    const whole = await fitForecaster(straight, base());
    const first = build(1);
    await fitForecaster(first, {
      ...base(),
      checkpoint: { every: 2, save: (s) => writeCheckpoint(dir, 'fp', s).then(() => undefined) },
      shouldStop: (() => {
        let batches = 0;
        return () => ++batches > 2 * 4; // stop after two epochs of 4 batches
      })(),
    });
    const read = await readCheckpoint(dir, 'fp');
    if (!read.found || !read.usable) throw new Error('no usable checkpoint');
    expect(read.snapshot.optimizer.map((n) => n.name).slice(0, 2)).toEqual(['iter', 'lstm_1/kernel/m']);
    expect(read.snapshot.optimizer[0].tensor.dataSync()[0]).toBe(8);
    const resumed = build(1);
    const rest = await fitForecaster(resumed, { ...base(), resume: read.snapshot });
    expect(rest.resumedFrom).toBe(2);
    rest.loss.forEach((l, i) => expect(l).toBeCloseTo(whole.loss[i], 6));
    expectClose(weightsOf(resumed), weightsOf(straight), 1e-6);
    // tfjs resumes the same checkpoint to the same model, so it holds Adam's state as tfjs's own would.
    const again = await readCheckpoint(dir, 'fp');
    if (!again.found || !again.usable) throw new Error('no usable checkpoint');
    const onTfjs = build(1);
    await fitForecaster(onTfjs, { ...base(), resume: again.snapshot, trainer: 'tfjs' });
    expectClose(weightsOf(onTfjs), weightsOf(straight), 1e-4);
    [straight, first, resumed, onTfjs].forEach((m) => m.dispose());
  });
});
