/**
 * What a training job is asked to do. The pipeline owns this vocabulary: model families, the
 * columns it reads, the backend it may be forced onto. Params are checked against the family's own
 * schema in core/models.
 */
import { z } from 'zod';
import { Id, ParamValue } from './vocabulary';

/**
 * Model families. Each declares its params schema, search space, build, train, predict, save, load.
 * `auto` (forecast) fits several of the others and keeps the best on validation: the default.
 */
export const ModelFamily = z.enum(['linear', 'mlp', 'lstm', 'gru', 'conv1d', 'autoencoder', 'isolation_forest', 'gbdt', 'auto']);
export type ModelFamily = z.infer<typeof ModelFamily>;
/** Kept for the names the foundation used. */
export const ForecastModel = ModelFamily;
export type ForecastModel = ModelFamily;

/**
 * A model family as the core describes it to the faces, so a form lists every family the core
 * has (new ones appear without UI changes) and shows only the fields a family reads.
 */
export const ModelFamilyInfo = z.object({
  name: ModelFamily,
  task: z.enum(['forecast', 'anomaly']),
  /** The family a job gets when it names none. */
  isDefault: z.boolean(),
  /** Its params with their default values. */
  defaults: z.record(z.string(), ParamValue),
  /** Which of a job's column fields the family reads; a form hides the others and never sends them. */
  uses: z.object({ labelColumn: z.boolean(), exogenous: z.boolean() }),
});
export type ModelFamilyInfo = z.infer<typeof ModelFamilyInfo>;

/** 0-based data rows counted after time order, duplicates and missing values are resolved. */
const RowIndex = z.number().int().min(1);
/** ISO 8601 date or date-time; a value without a zone is UTC, as in the dataset's time column. */
const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}(-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?)?(Z|[+-]\d{2}:?\d{2})?$/, 'must be an ISO date such as 2010-11-01 or 2010-11-01T00:00:00Z');

/**
 * An explicit chronological split, instead of the `valFraction`/`testFraction` params:
 * - `rows: [valStart, testStart]`: the first validation row and the first test row, 0-based indices
 *   of the data rows after resolution; train is rows 0..valStart-1, validation valStart..testStart-1,
 *   test testStart..the last row;
 * - `valFrom`/`testFrom`: the first row whose timestamp is at or after each date starts that part.
 */
export const DataSplit = z.union([
  z
    .object({ rows: z.tuple([RowIndex, RowIndex]) })
    .strict()
    .refine((s) => s.rows[0] < s.rows[1], { message: 'the first test row must come after the first validation row', path: ['rows'] }),
  z.object({ valFrom: IsoDate, testFrom: IsoDate }).strict(),
]);
export type DataSplit = z.infer<typeof DataSplit>;

/** Out-of-order timestamps: sorted by time (default), kept in the file's row order with a warning each, or refused. */
export const TimeOrder = z.enum(['sort', 'file', 'refuse']);
export type TimeOrder = z.infer<typeof TimeOrder>;
/** Rows sharing a timestamp: refused (default), or one row kept: the first, the last, or the mean of each column (a 0/1 label takes the max). */
export const DuplicatePolicy = z.enum(['refuse', 'first', 'last', 'mean']);
export type DuplicatePolicy = z.infer<typeof DuplicatePolicy>;
/** Missing values in the target and exogenous columns: refused (default), their rows dropped, linearly interpolated, or filled forward. */
export const MissingPolicy = z.enum(['refuse', 'drop', 'interpolate', 'ffill']);
export type MissingPolicy = z.infer<typeof MissingPolicy>;

/** How a dataset's rows are made a series before any split: one place every family goes through. */
export const DataHandling = z
  .object({
    timeOrder: TimeOrder.default('sort'),
    duplicates: DuplicatePolicy.default('refuse'),
    missing: MissingPolicy.default('refuse'),
    split: DataSplit.optional(),
  })
  .strict();
export type DataHandling = z.infer<typeof DataHandling>;
export type DataHandlingInput = z.input<typeof DataHandling>;

/** Set by a study on the jobs of its trials, so the queue can say which study and trial a job is. */
export const TrialRef = z.object({ studyId: z.string().min(1), study: z.string().min(1), number: z.number().int().min(0) });
export type TrialRef = z.infer<typeof TrialRef>;

export const TrainSpec = z.object({
  kind: z.literal('train'),
  datasetId: Id,
  target: z.string().min(1),
  model: ModelFamily.default('auto'),
  params: z.record(z.string(), ParamValue).default({}),
  experiment: z.string().min(1).max(200).default('Default'),
  /** Extra numeric columns fed to the model beside the target's own lags (forecast families). */
  exogenous: z.array(z.string().min(1)).max(100).default([]),
  /** A 0/1 column marking known anomalies: scored against (anomaly families), never trained on. */
  labelColumn: z.string().min(1).optional(),
  /** Force a compute backend for this job (`wasm`, `cpu`, `webgpu`, `tensorflow`...); else the best found. */
  backend: z.string().min(1).max(40).optional(),
  /** Time order, duplicates, missing values and an explicit split; the defaults when left out. */
  data: DataHandling.optional(),
  trial: TrialRef.optional(),
});
export type TrainSpec = z.infer<typeof TrainSpec>;
export type TrainSpecInput = z.input<typeof TrainSpec>;

/**
 * A job that does nothing in a worker but wait `sleepMs`: it measures the queue's own overhead
 * (the queue benchmark) and checks that the worker pool is healthy.
 */
export const NoopSpec = z.object({
  kind: z.literal('noop'),
  sleepMs: z.number().int().min(0).max(24 * 3600 * 1000).default(0),
  label: z.string().max(200).optional(),
});
export type NoopSpec = z.infer<typeof NoopSpec>;

/** An environment variable's name, as POSIX shells accept it. */
const EnvName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be a variable name: letters, digits and _, not starting with a digit');

/**
 * A job that runs the user's own program (a PyTorch script, a shell line) in its own process group.
 * `argv` is a template: `{name}` is replaced by the param `name` (`{{` and `}}` are literal braces);
 * the params also reach the program as JSON in `TRAINYARD_PARAMS`. What it prints goes to the job
 * log; lines `TRAINYARD_METRIC {"step": 3, "loss": 0.41}` on stdout, and JSON lines in the file
 * named by `TRAINYARD_METRICS_FILE`, become the run's metrics; files it writes under
 * `TRAINYARD_ARTIFACTS_DIR` become the run's artifacts (see core/commands).
 */
export const CommandSpec = z.object({
  kind: z.literal('command'),
  /** What the job is called in lists; the program's name where left out. */
  name: z.string().min(1).max(200).optional(),
  argv: z.array(z.string().max(128 * 1024)).min(1, 'a command needs at least the program to run').max(10_000),
  /** Where it runs: an absolute folder (the CLI sends its own working folder); the user's home where left out. */
  cwd: z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'must be an absolute path')
    .optional(),
  /** Added to the environment the program inherits from Trainyard. */
  env: z.record(EnvName, z.string().max(128 * 1024)).default({}),
  params: z.record(z.string(), ParamValue).default({}),
  experiment: z.string().min(1).max(200).default('Default'),
  /** After SIGTERM, how long the process group has to end before SIGKILL. */
  graceMs: z.number().int().min(0).max(3600 * 1000).default(10_000),
  trial: TrialRef.optional(),
});
export type CommandSpec = z.infer<typeof CommandSpec>;
export type CommandSpecInput = z.input<typeof CommandSpec>;

export const JobSpec = z.discriminatedUnion('kind', [TrainSpec, NoopSpec, CommandSpec]);

/** What a study's trials run: a built-in model family, or the user's own command with `{param}` placeholders. */
export const StudyTrainSpec = z.discriminatedUnion('kind', [TrainSpec, CommandSpec]);
export type StudyTrainSpec = z.infer<typeof StudyTrainSpec>;
export type JobSpec = z.infer<typeof JobSpec>;
export type JobKind = JobSpec['kind'];
