/**
 * The params every forecast family shares, the zod helpers the families build their schemas with,
 * and the check that turns a schema problem into an InvalidInput naming `params.<key>`.
 * No TensorFlow.js here: the core validates at submit time without loading it.
 */
import { z } from 'zod';
import type { ParamValue } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import { SCALER_KINDS } from '../../data';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Params arrive as typed in a form or on a command line ("30"): numeric strings become numbers, nothing else is coerced. */
const coerceNumber = (v: unknown) => (typeof v === 'string' && NUMBER_RE.test(v.trim()) ? Number(v.trim()) : v);
const coerceBoolean = (v: unknown) => {
  if (typeof v !== 'string') return v;
  const t = v.trim().toLowerCase();
  return t === 'true' ? true : t === 'false' ? false : v;
};

export const numberIn = (min: number, max: number, opts: { int?: boolean; exclusiveMin?: boolean } = {}) => {
  const kind = opts.int ? 'a whole number' : 'a number';
  const range = `${opts.exclusiveMin ? 'above' : 'from'} ${min}${opts.exclusiveMin ? ' and at most' : ' to'} ${max}`;
  let n = z.number({ error: `must be ${kind} ${range}` });
  if (opts.int) n = n.int({ error: `must be a whole number ${range}` });
  n = opts.exclusiveMin
    ? n.gt(min, { error: `must be ${kind} ${range}` })
    : n.min(min, { error: `must be ${kind} ${range}` });
  return z.preprocess(coerceNumber, n.max(max, { error: `must be ${kind} ${range}` }));
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
  /** Add calendar channels (hour of day, day of week, day or month of year) from the time column. */
  calendar: flag().default(false),
  /** Season of the seasonal-naive baseline, in steps; 0 infers it from the time column (hourly 24, daily 7, monthly 12). */
  season: numberIn(0, 100000, { int: true }).default(0),
  /** Save a resumable checkpoint every this many epochs; 0 never does. */
  checkpointEvery: numberIn(0, 10000, { int: true }).default(5),
};

type Shape = z.ZodRawShape;

/** A family's schema: the common params plus its own, unknown keys refused, a split that leaves rows to train on. */
export function forecastSchema<S extends Shape>(own: S) {
  return z
    .object({ ...COMMON_FORECAST_PARAMS, ...own })
    .strict()
    .refine((p) => (p as { valFraction: number }).valFraction + (p as { testFraction: number }).testFraction <= 0.8, {
      path: ['testFraction'],
      error: 'valFraction + testFraction must be at most 0.8, so that rows are left to train on',
    });
}

/** Checks and completes params; a problem is an InvalidInput naming `params.<key>`. */
export function resolveWith<T>(
  schema: z.ZodType<T>,
  family: string,
  known: readonly string[],
  raw: Record<string, ParamValue> | undefined,
): T {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    throw new InvalidInput(
      `params.${key}: unknown parameter for the ${family} model; known: ${known.join(', ')}`,
      `params.${key}`,
    );
  }
  const field = `params.${issue.path.map(String).join('.')}`;
  const got = issue.path.length === 1 ? (raw as Record<string, unknown>)[String(issue.path[0])] : undefined;
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  throw new InvalidInput(`${field}: ${issue.message}${shown}`, field);
}

export type CommonForecastParams = z.output<ReturnType<typeof forecastSchema<Record<never, never>>>>;
