/**
 * The contract between every face (Electron window, browser, CLI) and the core.
 *
 * One module of zod schemas: each method's input and output and each event's payload.
 * Types are inferred from these schemas; the core validates every input against them at the
 * boundary, so a bad payload gets an `InvalidInput` error naming the field, whichever face sent it.
 * This file imports nothing from Node or the DOM: the renderer uses it too.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Shared vocabulary
// ---------------------------------------------------------------------------------------------

/** Sortable identifiers (ULID). */
export const Id = z.string().min(1).max(64);
/** UTC epoch milliseconds. */
export const Millis = z.number().int().nonnegative();

export const JobStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

/** Highest first. The scheduler and the UI both read this order. */
export const Priority = z.enum(['urgent', 'high', 'normal', 'low']);
export type Priority = z.infer<typeof Priority>;
export const PRIORITY_ORDER: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;

/** A scalar parameter value, as a user types it or a model family declares it. */
export const ParamValue = z.union([z.number(), z.string(), z.boolean()]);
export type ParamValue = z.infer<typeof ParamValue>;

// ---------------------------------------------------------------------------------------------
// System
// ---------------------------------------------------------------------------------------------

export const BackendInfo = z.object({
  name: z.string(),
  available: z.boolean(),
  /** Why a backend is not available (package missing, no adapter...). */
  reason: z.string().nullable(),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const SystemInfo = z.object({
  version: z.string(),
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
  cpus: z.number().int(),
  memoryBytes: z.number(),
  dataDir: z.string(),
  /** Compute backends in order of preference, with what was found on this machine. */
  backends: z.array(BackendInfo),
  /** The backend training jobs will use unless told otherwise. */
  backend: z.string(),
  workers: z.object({ max: z.number().int(), busy: z.number().int() }),
});
export type SystemInfo = z.infer<typeof SystemInfo>;

// ---------------------------------------------------------------------------------------------
// Datasets
// ---------------------------------------------------------------------------------------------

export const ColumnType = z.enum(['number', 'timestamp', 'string']);
export type ColumnType = z.infer<typeof ColumnType>;

export const ColumnStats = z.object({
  name: z.string(),
  type: ColumnType,
  missing: z.number().int(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
});
export type ColumnStats = z.infer<typeof ColumnStats>;

export const Dataset = z.object({
  id: Id,
  name: z.string(),
  filename: z.string(),
  /** sha256 of the file's bytes: the lineage every run records. */
  sha256: z.string(),
  sizeBytes: z.number().int(),
  rows: z.number().int(),
  columns: z.array(ColumnStats),
  /** The column that orders the rows in time, when one was found. */
  timeColumn: z.string().nullable(),
  createdAt: Millis,
});
export type Dataset = z.infer<typeof Dataset>;

export const SampleDataset = z.object({
  /** File name under resources/datasets. */
  file: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.string(),
  licence: z.string(),
  frequency: z.string(),
  /** A sensible column to forecast. */
  target: z.string(),
});
export type SampleDataset = z.infer<typeof SampleDataset>;

export const DatasetSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), file: z.string().min(1) }),
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  z.object({
    kind: z.literal('content'),
    filename: z.string().min(1).max(255),
    /** The file's text; the WebSocket face caps a message at 64 MiB. */
    text: z.string(),
  }),
]);
export type DatasetSource = z.infer<typeof DatasetSource>;

export const DatasetPreview = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
});
export type DatasetPreview = z.infer<typeof DatasetPreview>;

// ---------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------

/** Forecast model families. Later issues add more; each declares its own params schema in core/models. */
export const ForecastModel = z.enum(['mlp']);
export type ForecastModel = z.infer<typeof ForecastModel>;

/** What a training job is asked to do. Params are checked against the family's schema in the core. */
export const TrainSpec = z.object({
  kind: z.literal('train'),
  datasetId: Id,
  target: z.string().min(1),
  model: ForecastModel.default('mlp'),
  params: z.record(z.string(), ParamValue).default({}),
  experiment: z.string().min(1).max(200).default('Default'),
});
export type TrainSpec = z.infer<typeof TrainSpec>;
export type TrainSpecInput = z.input<typeof TrainSpec>;

export const JobProgress = z.object({
  /** The pipeline step now running (load, preprocess, train, evaluate, register). */
  step: z.string().nullable(),
  /** 0..1 over the whole job. */
  fraction: z.number().min(0).max(1),
  /** Estimated time left, from the observed rate; null until there is a rate to go on. */
  etaMs: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

export const Job = z.object({
  id: Id,
  kind: z.literal('train'),
  status: JobStatus,
  priority: Priority,
  spec: TrainSpec,
  runId: Id.nullable(),
  progress: JobProgress,
  /** Why the job failed or was cancelled, in words a user can act on. */
  error: z.string().nullable(),
  attempt: z.number().int().min(1),
  retryOf: Id.nullable(),
  createdAt: Millis,
  startedAt: Millis.nullable(),
  finishedAt: Millis.nullable(),
});
export type Job = z.infer<typeof Job>;

export const LogLine = z.object({
  id: z.number().int(),
  jobId: Id,
  ts: Millis,
  level: LogLevel,
  message: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

// ---------------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------------

export const Artifact = z.object({
  id: Id,
  runId: Id,
  /** model (TensorFlow.js files), card, predictions... */
  kind: z.string(),
  path: z.string(),
  sizeBytes: z.number().int(),
  sha256: z.string(),
  createdAt: Millis,
});
export type Artifact = z.infer<typeof Artifact>;

export const RunStatus = z.enum(['running', 'completed', 'failed', 'cancelled']);
export type RunStatus = z.infer<typeof RunStatus>;

export const Run = z.object({
  id: Id,
  experimentId: Id,
  experiment: z.string(),
  jobId: Id.nullable(),
  status: RunStatus,
  model: z.string(),
  datasetId: Id.nullable(),
  datasetSha256: z.string().nullable(),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  params: z.record(z.string(), ParamValue),
  /**
   * The latest value of every metric key. Test metrics are `test.mae`, `test.rmse`, `test.mape`,
   * `test.r2`; baselines on the same split are `naive.mae`...; per-epoch series are `loss`, `val_loss`.
   */
  summary: z.record(z.string(), z.number()),
  artifacts: z.array(Artifact),
  createdAt: Millis,
  finishedAt: Millis.nullable(),
});
export type Run = z.infer<typeof Run>;

export const MetricPoint = z.object({ step: z.number().int(), ts: Millis, value: z.number() });
export type MetricPoint = z.infer<typeof MetricPoint>;

export const MetricSeries = z.object({ key: z.string(), points: z.array(MetricPoint) });
export type MetricSeries = z.infer<typeof MetricSeries>;

// ---------------------------------------------------------------------------------------------
// Methods
// ---------------------------------------------------------------------------------------------

/** A method of the API: its input schema and its output schema. */
export interface MethodSchema<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}
const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSchema<I, O> => ({
  input,
  output,
});

const Empty = z.object({}).strict().default({});
const ById = z.object({ id: Id }).strict();

export const contract = {
  system: {
    info: method(Empty, SystemInfo),
  },
  datasets: {
    samples: method(Empty, z.array(SampleDataset)),
    import: method(
      z.object({ source: DatasetSource, name: z.string().min(1).max(200).optional() }).strict(),
      Dataset,
    ),
    list: method(Empty, z.array(Dataset)),
    get: method(ById, Dataset),
    preview: method(
      z.object({ id: Id, limit: z.number().int().min(1).max(1000).default(20) }).strict(),
      DatasetPreview,
    ),
  },
  jobs: {
    create: method(z.object({ spec: TrainSpec, priority: Priority.default('normal') }).strict(), Job),
    list: method(
      z
        .object({ status: JobStatus.optional(), limit: z.number().int().min(1).max(10000).default(500) })
        .strict()
        .default({ limit: 500 }),
      z.array(Job),
    ),
    get: method(ById, Job),
    cancel: method(ById, Job),
    retry: method(ById, Job),
    logs: method(
      z
        .object({
          id: Id,
          /** Only lines after this log id: the way a follower catches up. */
          afterId: z.number().int().default(0),
          limit: z.number().int().min(1).max(10000).default(1000),
        })
        .strict(),
      z.array(LogLine),
    ),
  },
  runs: {
    list: method(
      z.object({ limit: z.number().int().min(1).max(10000).default(200) }).strict().default({ limit: 200 }),
      z.array(Run),
    ),
    get: method(ById, Run),
    metrics: method(
      z.object({ id: Id, keys: z.array(z.string()).optional() }).strict(),
      z.array(MetricSeries),
    ),
  },
} as const;

export type Contract = typeof contract;

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

export const RunMetricEvent = z.object({
  runId: Id,
  jobId: Id,
  key: z.string(),
  step: z.number().int(),
  ts: Millis,
  value: z.number(),
});
export type RunMetricEvent = z.infer<typeof RunMetricEvent>;

export const events = {
  'job.updated': Job,
  'job.log': LogLine,
  'run.metric': RunMetricEvent,
} as const;
export type Events = { [K in keyof typeof events]: z.infer<(typeof events)[K]> };
export type EventName = keyof Events;
export const EVENT_NAMES = Object.keys(events) as EventName[];

// ---------------------------------------------------------------------------------------------
// Types derived from the contract
// ---------------------------------------------------------------------------------------------

type Group = Record<string, MethodSchema>;
export type GroupName = keyof Contract;
export type MethodName = {
  [G in GroupName]: `${G & string}.${keyof Contract[G] & string}`;
}[GroupName];

type SchemaOf<M extends MethodName> = M extends `${infer G}.${infer N}`
  ? G extends GroupName
    ? N extends keyof Contract[G]
      ? Contract[G][N]
      : never
    : never
  : never;

/** What a caller may pass (defaults still optional). */
export type Input<M extends MethodName> = z.input<SchemaOf<M>['input']>;
/** What the core receives after validation (defaults filled in). */
export type ParsedInput<M extends MethodName> = z.output<SchemaOf<M>['input']>;
export type Output<M extends MethodName> = z.output<SchemaOf<M>['output']>;

/** The API as the faces call it: `api.jobs.create({ spec })`. */
export type Api = {
  [G in GroupName]: {
    [N in keyof Contract[G]]: Contract[G][N] extends MethodSchema<infer I, infer O>
      ? (input: z.input<I>) => Promise<z.output<O>>
      : never;
  };
};

/** The API as the core implements it: inputs arrive validated, with defaults applied. */
export type ApiHandlers = {
  [G in GroupName]: {
    [N in keyof Contract[G]]: Contract[G][N] extends MethodSchema<infer I, infer O>
      ? (input: z.output<I>) => Promise<z.output<O>>
      : never;
  };
};

/** Looks a method's schema up by its wire name (`jobs.create`); undefined for unknown names. */
export function methodSchema(name: string): MethodSchema | undefined {
  const [group, fn, ...rest] = name.split('.');
  if (rest.length > 0 || !group || !fn) return undefined;
  if (!Object.prototype.hasOwnProperty.call(contract, group)) return undefined;
  const g = (contract as unknown as Record<string, Group>)[group];
  return Object.prototype.hasOwnProperty.call(g, fn) ? g[fn] : undefined;
}

export const METHOD_NAMES: MethodName[] = Object.entries(contract).flatMap(([g, methods]) =>
  Object.keys(methods).map((m) => `${g}.${m}` as MethodName),
);
