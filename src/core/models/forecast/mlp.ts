/**
 * The MLP forecaster's params: schema, defaults, and the check the core runs when a job is
 * submitted (so a bad value fails at once, naming the field) and the worker runs again before
 * training. No TensorFlow.js here: the core validates without loading it.
 */
import { z } from 'zod';
import type { ParamValue } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Params arrive as typed in a form or on a command line ("30"): numeric strings become numbers, nothing else is coerced. */
const coerceNumber = (v: unknown) => (typeof v === 'string' && NUMBER_RE.test(v.trim()) ? Number(v.trim()) : v);

const numberIn = (min: number, max: number, opts: { int?: boolean; exclusiveMin?: boolean } = {}) => {
  const kind = opts.int ? 'a whole number' : 'a number';
  const range = `${opts.exclusiveMin ? 'above' : 'from'} ${min}${opts.exclusiveMin ? ' and at most' : ' to'} ${max}`;
  let n = z.number({ error: `must be ${kind} ${range}` });
  if (opts.int) n = n.int({ error: `must be a whole number ${range}` });
  n = opts.exclusiveMin
    ? n.gt(min, { error: `must be ${kind} ${range}` })
    : n.min(min, { error: `must be ${kind} ${range}` });
  return z.preprocess(coerceNumber, n.max(max, { error: `must be ${kind} ${range}` }));
};

export const MlpParamsSchema = z
  .object({
    /** Past values the network sees. */
    window: numberIn(2, 1024, { int: true }).default(12),
    /** How many steps ahead it forecasts. */
    horizon: numberIn(1, 1000, { int: true }).default(1),
    hiddenUnits: numberIn(1, 1024, { int: true }).default(32),
    layers: numberIn(1, 8, { int: true }).default(2),
    epochs: numberIn(1, 10000, { int: true }).default(60),
    batchSize: numberIn(1, 65536, { int: true }).default(32),
    learningRate: numberIn(0, 1, { exclusiveMin: true }).default(0.003),
    seed: numberIn(0, 2 ** 31 - 1, { int: true }).default(42),
    valFraction: numberIn(0.01, 0.5).default(0.15),
    testFraction: numberIn(0.01, 0.5).default(0.15),
    /** Epochs without a better validation loss before training stops; 0 trains every epoch. */
    patience: numberIn(0, 10000, { int: true }).default(10),
  })
  .strict()
  .refine((p) => p.valFraction + p.testFraction <= 0.8, {
    path: ['testFraction'],
    error: 'valFraction + testFraction must be at most 0.8, so that rows are left to train on',
  });

export type MlpParams = z.output<typeof MlpParamsSchema>;

export const MLP_DEFAULTS: MlpParams = MlpParamsSchema.parse({});

/** Checks and completes params; a problem is an InvalidInput naming `params.<key>`. */
export function resolveMlpParams(raw: Record<string, ParamValue> | undefined = {}): MlpParams {
  const r = MlpParamsSchema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    throw new InvalidInput(
      `params.${key}: unknown parameter for the mlp model; known: ${Object.keys(MLP_DEFAULTS).join(', ')}`,
      `params.${key}`,
    );
  }
  const field = `params.${issue.path.map(String).join('.')}`;
  const got = issue.path.length === 1 ? (raw as Record<string, unknown>)[String(issue.path[0])] : undefined;
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  throw new InvalidInput(`${field}: ${issue.message}${shown}`, field);
}

/** The params as a run records them. */
export function mlpParamsRecord(p: MlpParams): Record<string, ParamValue> {
  return { ...p };
}
