/** Runs: what a training job records, for tracking and comparison. */
import { z } from 'zod';
import { ById, Empty, Id, Millis, ParamValue, method } from './vocabulary';

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

/** An artifact's file, resolved (links followed) and confined to the data directory: what a face streams for a download. */
export const ArtifactFile = Artifact.extend({
  /** The file's name for a download (the last segment of its path). */
  filename: z.string(),
  /** The resolved absolute path, inside the data directory. */
  file: z.string(),
  mime: z.string(),
});
export type ArtifactFile = z.infer<typeof ArtifactFile>;

/** The most bytes `runs.artifactContent` hands over in one answer (a WebSocket message is capped at 64 MiB; base64 adds a third). */
export const ARTIFACT_CONTENT_MAX_BYTES = 32 * 1024 * 1024;

/** An artifact's bytes through the API, for the desktop app, which has no HTTP server to download from. */
export const ArtifactContent = z.object({ filename: z.string(), mime: z.string(), sizeBytes: z.number().int(), base64: z.string() });
export type ArtifactContent = z.infer<typeof ArtifactContent>;

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
  /** Free-form labels (`stage: candidate`), searchable as `tags.stage`. */
  tags: z.record(z.string(), z.string()),
  note: z.string().nullable(),
  /** Archived runs are hidden from lists unless asked for; delete is what removes. */
  archived: z.boolean(),
  createdAt: Millis,
  finishedAt: Millis.nullable(),
});
export type Run = z.infer<typeof Run>;

export const MetricPoint = z.object({ step: z.number().int(), ts: Millis, value: z.number() });
export type MetricPoint = z.infer<typeof MetricPoint>;

export const MetricSeries = z.object({
  key: z.string(),
  points: z.array(MetricPoint),
  /** Points stored; `points` holds at most `maxPoints` of them, extremes kept. */
  total: z.number().int(),
});
export type MetricSeries = z.infer<typeof MetricSeries>;

export const Experiment = z.object({ id: Id, name: z.string(), runCount: z.number().int(), createdAt: Millis });
export type Experiment = z.infer<typeof Experiment>;

/** Sort keys: `created`, `status`, `model`, `experiment`, `params.<key>`, `metrics.<key>`. */
export const RunSort = z.object({ key: z.string().min(1).default('created'), order: z.enum(['asc', 'desc']).default('desc') });

export const RunQueryInput = z.object({
  /**
   * The query language: comparisons over `params.*`, `metrics.*`, `tags.*` and the run's own
   * fields (`status`, `model`, `experiment`), joined by AND / OR with parentheses:
   * `metrics.test.rmse < 0.5 and (params.model = "lstm" or tags.stage = "candidate")`.
   */
  query: z.string().max(4000).default(''),
  experiment: z.string().optional(),
  includeArchived: z.boolean().default(false),
  sort: RunSort.default({ key: 'created', order: 'desc' }),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(20000).default(200),
});

export const RunPage = z.object({ runs: z.array(Run), total: z.number().int() });
export type RunPage = z.infer<typeof RunPage>;

/** The keys present across runs: what the column picker and the query box offer. */
export const RunKeys = z.object({ params: z.array(z.string()), metrics: z.array(z.string()), tags: z.array(z.string()) });
export type RunKeys = z.infer<typeof RunKeys>;

export const ParamDiffRow = z.object({
  key: z.string(),
  /** One value per compared run, in the order asked; null where the run lacks the param. */
  values: z.array(ParamValue.nullable()),
  differs: z.boolean(),
});
export const RunComparison = z.object({
  runs: z.array(Run),
  params: z.array(ParamDiffRow),
  /** Final value of each summary metric, one per run. */
  metrics: z.array(z.object({ key: z.string(), values: z.array(z.number().nullable()) })),
});
export type RunComparison = z.infer<typeof RunComparison>;

export const RunExport = z.object({ filename: z.string(), mime: z.string(), text: z.string(), count: z.number().int() });
export type RunExport = z.infer<typeof RunExport>;

export const runsMethods = {
  list: method(RunQueryInput.strict().default({ query: '', includeArchived: false, sort: { key: 'created', order: 'desc' }, offset: 0, limit: 200 }), RunPage),
  get: method(ById, Run),
  metrics: method(
    z
      .object({
        id: Id,
        keys: z.array(z.string()).optional(),
        /** Downsampled on the core: a chart never receives more than this many points a series. */
        maxPoints: z.number().int().min(10).max(10000).default(1000),
        /** A window of steps, inclusive (a chart zoomed in): its points in finer detail. Each end defaults to the series' own. */
        from: z.number().int().optional(),
        to: z.number().int().optional(),
      })
      .strict()
      .refine((w) => w.from === undefined || w.to === undefined || w.from <= w.to, { message: 'from must not be after to', path: ['from'] }),
    z.array(MetricSeries),
  ),
  /** One metric series of a run, whole, as CSV (`step,ts,value`). */
  exportSeries: method(z.object({ id: Id, key: z.string().min(1) }).strict(), RunExport),
  experiments: method(Empty, z.array(Experiment)),
  keys: method(Empty, RunKeys),
  compare: method(z.object({ ids: z.array(Id).min(2).max(20) }).strict(), RunComparison),
  update: method(
    z
      .object({
        id: Id,
        tags: z.record(z.string().min(1).max(100), z.string().max(500)).optional(),
        note: z.string().max(20000).nullable().optional(),
        archived: z.boolean().optional(),
      })
      .strict(),
    Run,
  ),
  /** Deletes rows and artifact files for good. The faces confirm before they call this. */
  delete: method(
    z.object({ ids: z.array(Id).min(1).max(20000) }).strict(),
    z.object({ deleted: z.number().int(), freedBytes: z.number().int() }),
  ),
  /** Looks an artifact up by id and resolves its file inside the data directory (NotFound when the file is gone). */
  artifact: method(ById, ArtifactFile),
  /** An artifact's bytes in base64, for files up to ARTIFACT_CONTENT_MAX_BYTES. */
  artifactContent: method(ById, ArtifactContent),
  export: method(
    RunQueryInput.pick({ query: true, experiment: true, includeArchived: true })
      .extend({ format: z.enum(['csv', 'json']) })
      .strict(),
    RunExport,
  ),
};
