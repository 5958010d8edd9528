/**
 * The params every forecast family shares and the zod helpers the families build their schemas with
 * (those every family uses, forecast or anomaly, come from models/params.ts).
 * No TensorFlow.js here: the core validates at submit time without loading it.
 */
import { z } from 'zod';
import { SCALER_KINDS } from '../../data';
import { LEAVES_ROWS_TO_TRAIN, leavesRowsToTrain, numberIn } from '../params';

export { numberIn, resolveWith } from '../params';

const coerceBoolean = (v: unknown) => {
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : v;
};

export const flag = () => z.preprocess(coerceBoolean, z.boolean({ error: 'must be true or false' }));

export const oneOf = <const T extends readonly [string, ...string[]]>(choices: T) =>
  z.enum(choices, { error: `must be one of ${choices.join(', ')}` });

/**
 * Shared by every forecast family. Defaults are the ones the MLP was tuned with on the bundled
 * datasets; each family may override a default by passing its own field.
 */
export const COMMON_FORECAST_PARAMS = {
  /** Past values the network sees. */
  window: numberIn(2, 1024, { int: true }).default(12),
  /** How many steps ahead it forecasts. */
  horizon: numberIn(1, 1000, { int: true }).default(1),
  epochs: numberIn(1, 10000, { int: true }).default(60),
  batchSize: numberIn(1, 65536, { int: true }).default(32),
  learningRate: numberIn(0, 1, { exclusiveMin: true }).default(0.003),
  seed: numberIn(0, 2 ** 31 - 1, { int: true }).default(42),
  valFraction: numberIn(0.01, 0.5).default(0.15),
  testFraction: numberIn(0.01, 0.5).default(0.15),
  /** Epochs without a better validation loss before training stops; 0 trains every epoch. */
  patience: numberIn(0, 10000, { int: true }).default(10),
  /** How inputs and target are scaled (fitted on the training windows only). */
  scaler: oneOf(SCALER_KINDS).default('standard'),
  /** Add the target's levels as a channel beside its differences (for series that return to a mean). */
  levels: flag().default(false),
  /** Add calendar channels (hour of day, day of week, day or month of year) from the time column. */
  calendar: flag().default(false),
  /** Season of the seasonal-naive baseline, in steps; 0 infers it from the time column (hourly 24, daily 7, monthly 12). */
  season: numberIn(0, 100000, { int: true }).default(0),
  /** Save a resumable checkpoint every this many epochs; 0 never does. */
  checkpointEvery: numberIn(0, 10000, { int: true }).default(5),
};

/** What a closed-form or boosted fit minimises: squared error (forecasts the mean) or absolute error (the median). */
export const lossParam = () => oneOf(['squared', 'absolute']).default('squared');

type Shape = z.ZodRawShape;

/** A family's schema: the common params plus its own, unknown keys refused, a split that leaves rows to train on. */
export function forecastSchema<S extends Shape>(own: S) {
  return z
    .object({ ...COMMON_FORECAST_PARAMS, ...own })
    .strict()
    .refine((p) => leavesRowsToTrain(p as { valFraction: number; testFraction: number }), LEAVES_ROWS_TO_TRAIN);
}

export type CommonForecastParams = z.output<ReturnType<typeof forecastSchema<Record<never, never>>>>;
