/**
 * The anomaly families' params: schemas with defaults, the submit-time check, and the default HPO
 * search spaces. No TensorFlow.js here: the core checks params without loading it.
 *
 * Both families score windows of the standard-scaled target (the scaler fitted on the training rows
 * only) and turn window scores into one score per row. The threshold that flags a row is either a
 * quantile of the validation rows' scores ("a score higher than all but 1% of held-out rows") or
 * set by a contamination share ("about 2% of the training rows are anomalies").
 */
import { z } from 'zod';
import type { ParamValue, SearchSpace } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Params arrive as typed in a form or on a command line ("30"): numeric strings become numbers, nothing else is coerced. */
const coerceNumber = (v: unknown) => (typeof v === 'string' && NUMBER_RE.test(v.trim()) ? Number(v.trim()) : v);

const numberIn = (min: number, max: number, opts: { int?: boolean; exclusive?: boolean } = {}) => {
  const kind = opts.int ? 'a whole number' : 'a number';
  const range = opts.exclusive ? `above ${min} and below ${max}` : `from ${min} to ${max}`;
  const error = `must be ${kind} ${range}`;
  let n = z.number({ error });
  if (opts.int) n = n.int({ error });
  n = opts.exclusive ? n.gt(min, { error }).lt(max, { error }) : n.min(min, { error }).max(max, { error });
  return z.preprocess(coerceNumber, n);
};

export const ThresholdMethod = z.enum(['quantile', 'contamination'], {
  error: 'must be "quantile" (of the validation scores) or "contamination" (share of training rows)',
});
export type ThresholdMethod = z.infer<typeof ThresholdMethod>;

/** What every anomaly family shares: the window, the split, the seed and the threshold rule. */
const common = {
  /** Consecutive rows each scored window holds. */
  window: numberIn(2, 512, { int: true }).default(24),
  seed: numberIn(0, 2 ** 31 - 1, { int: true }).default(42),
  valFraction: numberIn(0.01, 0.5).default(0.15),
  testFraction: numberIn(0.01, 0.5).default(0.15),
  threshold: ThresholdMethod.default('quantile'),
  /** With threshold "quantile": rows scoring above this quantile of the validation rows' scores are flagged. */
  quantile: numberIn(0.5, 1, { exclusive: true }).default(0.99),
  /** With threshold "contamination": the share of training rows taken to be anomalies. */
  contamination: numberIn(0, 0.5, { exclusive: true }).default(0.02),
};

const splitLeavesTraining = {
  path: ['testFraction'],
  error: 'valFraction + testFraction must be at most 0.8, so that rows are left to train on',
};

export const AutoencoderParamsSchema = z
  .object({
    ...common,
    hiddenUnits: numberIn(1, 1024, { int: true }).default(32),
    /** The narrow middle layer: small enough that the network cannot copy an unusual window. */
    bottleneck: numberIn(1, 256, { int: true }).default(4),
    epochs: numberIn(1, 10000, { int: true }).default(40),
    batchSize: numberIn(1, 65536, { int: true }).default(64),
    learningRate: numberIn(0, 1, { exclusive: true }).default(0.003),
    patience: numberIn(0, 10000, { int: true }).default(8),
  })
  .strict()
  .refine((p) => p.valFraction + p.testFraction <= 0.8, splitLeavesTraining);
export type AutoencoderParams = z.output<typeof AutoencoderParamsSchema>;

export const IsolationForestParamsSchema = z
  .object({
    ...common,
    window: numberIn(1, 512, { int: true }).default(12),
    trees: numberIn(1, 5000, { int: true }).default(100),
    /** Rows each tree is grown from; 256 in Liu et al. (2008), where larger rarely helps. */
    sampleSize: numberIn(2, 100000, { int: true }).default(256),
  })
  .strict()
  .refine((p) => p.valFraction + p.testFraction <= 0.8, splitLeavesTraining);
export type IsolationForestParams = z.output<typeof IsolationForestParamsSchema>;

export type AnomalyParams = AutoencoderParams | IsolationForestParams;

export const AUTOENCODER_DEFAULTS: AutoencoderParams = AutoencoderParamsSchema.parse({});
export const ISOLATION_FOREST_DEFAULTS: IsolationForestParams = IsolationForestParamsSchema.parse({});

/** Checks and completes params with `schema`; a problem is an InvalidInput naming `params.<key>`. */
function resolveWith<S extends z.ZodType>(
  schema: S,
  family: string,
  defaults: Record<string, unknown>,
  raw: Record<string, ParamValue> | undefined,
): z.output<S> {
  const r = schema.safeParse(raw ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    throw new InvalidInput(
      `params.${key}: unknown parameter for the ${family} model; known: ${Object.keys(defaults).join(', ')}`,
      `params.${key}`,
    );
  }
  const field = `params.${issue.path.map(String).join('.')}`;
  const got = issue.path.length === 1 ? (raw as Record<string, unknown>)[String(issue.path[0])] : undefined;
  const shown = got === undefined ? '' : ` (got ${JSON.stringify(got)})`;
  throw new InvalidInput(`${field}: ${issue.message}${shown}`, field);
}

export function resolveAutoencoderParams(raw?: Record<string, ParamValue>): AutoencoderParams {
  return resolveWith(AutoencoderParamsSchema, 'autoencoder', AUTOENCODER_DEFAULTS, raw);
}

export function resolveIsolationForestParams(raw?: Record<string, ParamValue>): IsolationForestParams {
  return resolveWith(IsolationForestParamsSchema, 'isolation_forest', ISOLATION_FOREST_DEFAULTS, raw);
}

/** The default HPO space: the knobs that matter most, over ranges that train in seconds to minutes. */
export const AUTOENCODER_SEARCH_SPACE: SearchSpace = {
  window: { type: 'int', low: 8, high: 72, log: false, step: 4 },
  hiddenUnits: { type: 'int', low: 8, high: 128, log: true, step: 1 },
  bottleneck: { type: 'int', low: 2, high: 16, log: false, step: 1 },
  learningRate: { type: 'float', low: 1e-4, high: 1e-2, log: true },
  batchSize: { type: 'categorical', choices: [32, 64, 128] },
};

export const ISOLATION_FOREST_SEARCH_SPACE: SearchSpace = {
  window: { type: 'int', low: 1, high: 48, log: false, step: 1 },
  trees: { type: 'int', low: 50, high: 400, log: true, step: 1 },
  sampleSize: { type: 'categorical', choices: [64, 128, 256, 512] },
};
