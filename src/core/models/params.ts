/**
 * The zod pieces every family's params schema is built from, forecast and anomaly alike: numbers
 * that may arrive as strings, ranges with messages a person can act on, the split check, and the
 * check that turns a schema problem into an InvalidInput naming `params.<key>`.
 * No TensorFlow.js here: the core validates at submit time without loading it.
 */
import { z } from 'zod';
import type { ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Params arrive as typed in a form or on a command line ("30"): numeric strings become numbers, nothing else is coerced. */
const coerceNumber = (v: unknown) => (typeof v === 'string' && NUMBER_RE.test(v.trim()) ? Number(v.trim()) : v);

/**
 * A number from `min` to `max`, or a whole one; either end may be left out of the range. The
 * message says the range in words: "from 2 to 512", "above 0 and at most 1", "above 0.5 and below 1".
 */
export const numberIn = (min: number, max: number, opts: { int?: boolean; exclusiveMin?: boolean; exclusiveMax?: boolean } = {}) => {
  const kind = opts.int ? 'a whole number' : 'a number';
  const range =
    opts.exclusiveMin || opts.exclusiveMax
      ? `${opts.exclusiveMin ? 'above' : 'from'} ${min} and ${opts.exclusiveMax ? 'below' : 'at most'} ${max}`
      : `from ${min} to ${max}`;
  const error = `must be ${kind} ${range}`;
  let n = z.number({ error });
  if (opts.int) n = n.int({ error });
  n = opts.exclusiveMin ? n.gt(min, { error }) : n.min(min, { error });
  n = opts.exclusiveMax ? n.lt(max, { error }) : n.max(max, { error });
  return z.preprocess(coerceNumber, n);
};

/** The split every family checks: validation and test together leave rows to train on. */
export const leavesRowsToTrain = (p: { valFraction: number; testFraction: number }) => p.valFraction + p.testFraction <= 0.8;
export const LEAVES_ROWS_TO_TRAIN = {
  path: ['testFraction'],
  error: 'valFraction + testFraction must be at most 0.8, so that rows are left to train on',
};

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
