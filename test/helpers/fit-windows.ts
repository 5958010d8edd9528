/** Windows to fit a small forecaster on, and an element-wise closeness check, for the trainer tests. */
import { expect } from 'vitest';
import { fitForecaster, type FitOptions, type FitResult, type FitSet } from '../../src/core/models/forecast/fit';
import type { MlpParams } from '../../src/core/models/forecast/mlp';
import { buildMlp, disposeModel } from '../../src/core/models/forecast/mlp-network';

/** A nonlinear toy series of `count` windows of `features` values: the target is a bent mix of the inputs. */
export function windows(count: number, offset: number, features: number): FitSet {
  const x = new Float32Array(count * features);
  const y = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    let sum = 0;
    for (let j = 0; j < features; j++) {
      const v = Math.sin((i + offset) * 0.37 + j * 0.91) + 0.3 * Math.cos((i + offset) * 0.11 * j);
      x[i * features + j] = v;
      sum += v * (j % 3 === 0 ? 1 : -0.5);
    }
    y[i] = Math.tanh(sum / 3) + 0.1;
  }
  return { x, y, count, features };
}

/** Each of `actual` within `tolerance` of `expected` (relative above 1 in magnitude), naming the first that is not. */
export function expectAllClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i]), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected[i])));
  }
}

/** Fits a fresh MLP built from `params` on `sets` (no early stopping), returning the result and the weights it ends with. */
export async function fitMlp(
  params: MlpParams,
  sets: { train: FitSet; val: FitSet },
  extra: Partial<FitOptions> = {},
): Promise<{ result: FitResult; weights: Float32Array[] }> {
  const model = buildMlp(params, sets.train.features);
  try {
    const result = await fitForecaster(model, { ...params, ...sets, patience: 0, ...extra });
    // Read asynchronously: the webgpu backend in Node has no synchronous read.
    return { result, weights: await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array)) };
  } finally {
    disposeModel(model);
  }
}
