/**
 * The linear family's forecaster: ridge coefficients on the encoded window (scaled differences,
 * exogenous and calendar channels) predicting the scaled change over the horizon, so it is least
 * squares "on differenced lags". The penalty is either given or chosen from a grid by the
 * validation error on the original scale; the test windows play no part in it.
 * Saved as ridge.json beside preprocessing.json. No TensorFlow.js here.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFileAs } from '../json-files';
import { decodeOutputs, type ForecastPreprocessing } from './features';
import { encodedForecaster, type Forecaster } from './predictor';
import { flatFeatures, saveJsonForecaster } from './preprocessing-file';
import { L2_GRID, ridgePredict, ridgeSystem, solveRidge, solveRidgeAbsolute, type RidgeCoefficients } from './ridge';

export const RIDGE_FILE = 'ridge.json';

const RidgeFile = z.object({
  format: z.literal('trainyard.forecast.ridge'),
  version: z.literal(1),
  weights: z.array(z.number()),
  intercept: z.number(),
  l2: z.number().min(0),
});

export function ridgeForecaster(p: ForecastPreprocessing, c: RidgeCoefficients): Forecaster {
  return encodedForecaster(p, {
    kind: 'ridge',
    input: 'flat',
    predictScaled: (x, count) => ridgePredict(c, x, count),
    save: (dir, info) => saveJsonForecaster(dir, RIDGE_FILE, { format: 'trainyard.forecast.ridge', version: 1, ...c }, p, { ...info, predictor: 'ridge' }),
    dispose: () => undefined,
  });
}

export async function loadRidge(dir: string, p: ForecastPreprocessing): Promise<Forecaster> {
  const f = await readJsonFileAs(join(dir, RIDGE_FILE), RidgeFile);
  const features = flatFeatures(p);
  if (f.weights.length !== features) {
    throw new Error(`${join(dir, RIDGE_FILE)} has ${f.weights.length} weights; the preprocessing makes ${features} inputs`);
  }
  return ridgeForecaster(p, { weights: f.weights, intercept: f.intercept, l2: f.l2 });
}

/** Encoded samples: row-major `count` x `features` inputs, with scaled targets for training. */
export interface EncodedSamples {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  count: number;
  features: number;
}

/** Validation windows as evaluation needs them: encoded inputs, each window's last value and its actual target. */
export interface ValidationSamples {
  x: ArrayLike<number>;
  count: number;
  last: ArrayLike<number>;
  actual: ArrayLike<number>;
}

export type Criterion = 'mae' | 'rmse';

/** Validation error on the original scale of scaled outputs `out`. */
export function validationError(p: ForecastPreprocessing, out: ArrayLike<number>, val: ValidationSamples, criterion: Criterion): number {
  const levels = decodeOutputs(p, out, val.last);
  let sum = 0;
  for (let k = 0; k < val.count; k++) {
    const e = levels[k] - val.actual[k];
    sum += criterion === 'mae' ? Math.abs(e) : e * e;
  }
  const mean = sum / val.count;
  return criterion === 'mae' ? mean : Math.sqrt(mean);
}

export interface RidgeChoice {
  coefficients: RidgeCoefficients;
  /** Each penalty tried with its validation error; one entry when `l2` was given. */
  tried: { l2: number; error: number }[];
}

/**
 * Ridge fitted on `train`; with `l2` 'auto' every penalty of the grid is solved (from one Gram
 * matrix for squared loss) and the one with the lowest validation error kept (the smaller penalty
 * on a tie).
 */
export function fitRidge(
  p: ForecastPreprocessing,
  train: EncodedSamples,
  val: ValidationSamples,
  l2: number | 'auto',
  criterion: Criterion,
  loss: 'squared' | 'absolute' = 'squared',
): RidgeChoice {
  const system = loss === 'squared' ? ridgeSystem(train.x, train.y, train.count, train.features) : null;
  const solve = (value: number) =>
    system ? solveRidge(system, value) : solveRidgeAbsolute(train.x, train.y, train.count, train.features, value);
  const grid = l2 === 'auto' ? L2_GRID : [l2];
  let best: RidgeCoefficients | null = null;
  let bestError = Infinity;
  const tried: RidgeChoice['tried'] = [];
  for (const value of grid) {
    const c = solve(value);
    const error = validationError(p, ridgePredict(c, val.x, val.count), val, criterion);
    tried.push({ l2: value, error });
    if (best === null || error < bestError) {
      best = c;
      bestError = error;
    }
  }
  return { coefficients: best!, tried };
}
