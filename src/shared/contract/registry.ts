/**
 * The `models` group of the API: the model registry. A registered model is a name; each of its
 * versions is an immutable, content-addressed copy of one run's model files with the lineage that
 * says where it came from. Aliases (`champion`, `candidate`, any name) point at versions and every
 * move is recorded; moving a protected alias runs the model's validation gate.
 *
 * A model is named anywhere by a reference: `NAME` (its latest version), `NAME:7` (version 7) or
 * `NAME@champion` (what the alias points at).
 */
import { z } from 'zod';
import { DatasetSource } from './datasets';
import { Empty, Id, Millis, ParamValue, method } from './vocabulary';

/** A registered model's name: safe as an OCI repository component and a folder name. */
export const ModelName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, 'a model name is 1-100 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
/** An alias: starts with a letter, so `NAME@7` can never be read as a version. */
export const AliasName = z
  .string()
  .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'an alias is 1-64 lowercase letters, digits, "_" or "-", starting with a letter');
/** `NAME`, `NAME:VERSION` or `NAME@ALIAS`. */
export const ModelRef = z.string().min(1).max(200);
export const VersionNumber = z.number().int().min(1);

/** One file of a version, as its manifest lists it. `path` is relative to the version's folder. */
export const ModelFile = z.object({
  path: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** model, weights, preprocessing, card, predictions, file... */
  kind: z.string(),
});
export type ModelFile = z.infer<typeof ModelFile>;

/** `command`: the files a command job's program saved, versioned like any model, with no built-in predict. */
export const ModelTask = z.enum(['forecast', 'anomaly', 'command']);
export type ModelTask = z.infer<typeof ModelTask>;

/** What a model reads and writes: predict validates its input against this, the gate compares it between versions. */
export const ModelSchema = z.object({
  task: ModelTask,
  target: z.string(),
  timeColumn: z.string().nullable(),
  /** Every column predict needs besides the target and time (exogenous inputs). */
  inputs: z.array(z.string()),
  /** The rows' spacing as training saw it (`monthly`, `daily`, `hourly`, `PT15M`...); null without a time column. */
  frequency: z.string().nullable(),
  /** Rows one prediction reads. */
  window: z.number().int().min(1),
  /** Steps ahead a forecast lands (forecast models); null for anomaly models. */
  horizon: z.number().int().min(1).nullable(),
});
export type ModelSchema = z.infer<typeof ModelSchema>;

/** Where a version came from, recorded when it is registered and carried through export, push and pull. */
export const Lineage = z.object({
  runId: Id.nullable(),
  jobId: Id.nullable(),
  experiment: z.string().nullable(),
  /** Set when the version was registered from a study's best trial. */
  studyId: Id.nullable(),
  trialNumber: z.number().int().nullable(),
  datasetId: Id.nullable(),
  datasetName: z.string().nullable(),
  datasetSha256: z.string().nullable(),
  family: z.string(),
  /** The kept predictor inside the family (`ridge`, `network`, `blend`...), where the family says. */
  predictor: z.string().nullable(),
  params: z.record(z.string(), ParamValue),
  seed: z.number().int().nullable(),
  /** The card's split: method, fractions or boundaries, rows and windows per split. */
  split: z.unknown(),
  /**
   * The run's final metrics: validation (`val.*`, `naive.val.*`, `seasonal_naive.val.*`), test
   * (`test.*`) and baselines (`naive.*`, `seasonal_naive.*`, `skill.*`). Summary `val_loss` too.
   */
  metrics: z.record(z.string(), z.number()),
  backend: z.string().nullable(),
  device: z.string().nullable(),
  trainyardVersion: z.string(),
  /** The version of the family's saved format (preprocessing.json / detector.json), and TensorFlow.js where it was used. */
  formatVersion: z.number().int().nullable(),
  tfjsVersion: z.string().nullable(),
  trainedAt: Millis.nullable(),
});
export type Lineage = z.infer<typeof Lineage>;

/** One rule of a validation gate, as the user writes it. */
export const GateRule = z.discriminatedUnion('kind', [
  /**
   * A comparison of the candidate's own metrics: `val.rmse <= 0.95 * naive.val.rmse`, `test.skill > 0`.
   * Left side a metric key; operator one of < <= > >=; right side a number, a metric key, or NUMBER * key.
   */
  z.object({ kind: z.literal('metric'), expr: z.string().min(3).max(200) }),
  /**
   * No worse than what `alias` points at now by more than `tolerance` (0.01 = 1%), both scored on the
   * same rows (the candidate's test rows of its dataset). Passes when the alias points nowhere yet.
   */
  z.object({
    kind: z.literal('champion'),
    metric: z.string().min(1),
    alias: AliasName.default('champion'),
    tolerance: z.number().min(0).max(10).default(0.01),
  }),
]);
export type GateRule = z.infer<typeof GateRule>;

/** One line of a gate report: a rule (or a schema check) with what was measured and whether it passed. */
export const GateCheck = z.object({
  /** The rule as text (`val.rmse <= 0.95 * naive.val.rmse`), or the schema check's name (`schema.target`). */
  rule: z.string(),
  kind: z.enum(['metric', 'champion', 'schema']),
  value: z.number().nullable(),
  threshold: z.number().nullable(),
  passed: z.boolean(),
  /** In words: what was compared, or why it could not be measured (which fails the check). */
  detail: z.string(),
});
export type GateCheck = z.infer<typeof GateCheck>;

export const GateReport = z.object({
  id: Id,
  model: ModelName,
  version: VersionNumber,
  /** The alias the move was for; null for a check with no move (`models gate check`). */
  alias: AliasName.nullable(),
  at: Millis,
  passed: z.boolean(),
  checks: z.array(GateCheck),
});
export type GateReport = z.infer<typeof GateReport>;

/** A command run, or a URL POSTed to, with the alias event's JSON when a protected alias moves. */
export const PromotionHook = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), command: z.string().min(1).max(2000) }),
  z.object({ kind: z.literal('url'), url: z.url() }),
]);
export type PromotionHook = z.infer<typeof PromotionHook>;

export const GateConfig = z.object({
  rules: z.array(GateRule).max(50),
  /** Aliases whose moves run the gate (default `champion`). */
  protectedAliases: z.array(AliasName).max(20),
  hooks: z.array(PromotionHook).max(20),
});
export type GateConfig = z.infer<typeof GateConfig>;

/** What one promotion hook did: it ran after the move, and a failure never undoes the move. */
export const HookRun = z.object({
  hook: PromotionHook,
  at: Millis,
  ok: z.boolean(),
  /** The exit code or HTTP status, and the tail of what it said; or why it could not run. */
  detail: z.string(),
});
export type HookRun = z.infer<typeof HookRun>;

/** One move of an alias: set (from null), moved, or removed (to null). */
export const AliasEvent = z.object({
  id: Id,
  model: ModelName,
  alias: AliasName,
  fromVersion: VersionNumber.nullable(),
  toVersion: VersionNumber.nullable(),
  at: Millis,
  reason: z.string().nullable(),
  /** The gate failed and the move was forced (`--force --reason`). */
  forced: z.boolean(),
  gate: GateReport.nullable(),
  /** The promotion hooks that ran after this move (a protected alias's), in order. */
  hooks: z.array(HookRun).default([]),
});
export type AliasEvent = z.infer<typeof AliasEvent>;

export const VersionSource = z.object({
  kind: z.enum(['run', 'study', 'pull', 'folder']),
  /** The registry reference or folder it was pulled from; the run or study id otherwise. */
  ref: z.string(),
});

export const ModelVersion = z.object({
  model: ModelName,
  version: VersionNumber,
  createdAt: Millis,
  description: z.string(),
  tags: z.record(z.string(), z.string()),
  /** Aliases pointing here now. */
  aliases: z.array(AliasName),
  files: z.array(ModelFile),
  /** sha256 of the manifest (the canonical JSON of `files`): two versions with the same digest hold the same bytes. */
  digest: z.string(),
  sizeBytes: z.number().int().nonnegative(),
  schema: ModelSchema,
  lineage: Lineage,
  source: VersionSource,
  /** The latest gate report for this version; null when none ran. */
  gate: GateReport.nullable(),
});
export type ModelVersion = z.infer<typeof ModelVersion>;

export const RegisteredModel = z.object({
  name: ModelName,
  /** Markdown. */
  description: z.string(),
  tags: z.record(z.string(), z.string()),
  createdAt: Millis,
  updatedAt: Millis,
  task: ModelTask,
  latestVersion: VersionNumber.nullable(),
  versionCount: z.number().int().nonnegative(),
  /** alias → version. */
  aliases: z.record(z.string(), VersionNumber),
  gate: GateConfig,
  /** The newest gate report of any version; null when none ran. */
  lastGate: GateReport.nullable(),
});
export type RegisteredModel = z.infer<typeof RegisteredModel>;

export const ModelDetail = z.object({
  model: RegisteredModel,
  /** Newest first. */
  versions: z.array(ModelVersion),
  /** Newest first. */
  history: z.array(AliasEvent),
  /** Newest first. */
  reports: z.array(GateReport),
});
export type ModelDetail = z.infer<typeof ModelDetail>;

const Tags = z.record(z.string().min(1).max(100), z.string().max(500));

export const RegisterInput = z
  .object({
    name: ModelName,
    /** A completed run, or a study (its best completed trial's run). Exactly one. */
    runId: Id.optional(),
    studyId: Id.optional(),
    description: z.string().max(100_000).optional(),
    tags: Tags.optional(),
  })
  .strict()
  .refine((v) => (v.runId === undefined) !== (v.studyId === undefined), { message: 'give exactly one of runId or studyId' });

/** The data predict and evaluate read: a stored dataset, or a file's content or path as datasets.import takes it. */
export const PredictData = z.union([z.object({ datasetId: Id }).strict(), z.object({ source: DatasetSource }).strict()]);
export type PredictData = z.infer<typeof PredictData>;

export const PredictResult = z.object({
  model: ModelName,
  version: VersionNumber,
  task: ModelTask,
  /**
   * Forecast: `time|row, actual, predicted, kind` where kind is `fitted` (a row with a full window
   * before it) or `forecast` (the `horizon` steps past the end, actual empty).
   * Anomaly: `time|row, value, score, flagged`.
   */
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  /** The same table as CSV, full precision, for download. */
  csv: z.string(),
  /** Rows of the input that could produce no prediction (too early for a full window). */
  skipped: z.number().int().nonnegative(),
  durationMs: z.number().nonnegative(),
});
export type PredictResult = z.infer<typeof PredictResult>;

export const EvaluateResult = z.object({
  dataset: z.object({ id: Id.nullable(), name: z.string(), sha256: z.string() }),
  /** Which rows both were scored on: the first model's test rows of this dataset, or all rows. */
  rows: z.object({ which: z.enum(['test', 'all']), count: z.number().int(), from: z.string().nullable(), to: z.string().nullable() }),
  models: z.array(z.object({ ref: z.string(), model: ModelName, version: VersionNumber, metrics: z.record(z.string(), z.number()) })),
});
export type EvaluateResult = z.infer<typeof EvaluateResult>;

/** Progress of an export, push or pull, for the Publish and Pull dialogs' byte bars. */
export const TransferProgress = z.object({
  transferId: Id,
  direction: z.enum(['export', 'push', 'pull']),
  /** The folder or the registry reference. */
  target: z.string(),
  bytesDone: z.number().int().nonnegative(),
  bytesTotal: z.number().int().nonnegative(),
  state: z.enum(['running', 'completed', 'failed', 'cancelled']),
  error: z.string().nullable(),
});
export type TransferProgress = z.infer<typeof TransferProgress>;

/** `HOST[:PORT]/REPO[:TAG]`, as docker and oras write it. */
export const OciReference = z.string().min(3).max(500);

const Transfer = { transferId: Id.optional(), plainHttp: z.boolean().default(false) };

export const PushResult = z.object({
  reference: z.string(),
  /** The manifest's digest (sha256:...). */
  digest: z.string(),
  bytes: z.number().int(),
  /** Blobs the registry already had (HEAD answered 200), not sent again. */
  skippedBlobs: z.number().int(),
  uploadedBlobs: z.number().int(),
});

export const modelsMethods = {
  list: method(Empty, z.array(RegisteredModel)),
  get: method(z.object({ name: ModelName }).strict(), ModelDetail),
  /** Resolves a reference (`NAME`, `NAME:7`, `NAME@champion`) to its version. */
  resolve: method(z.object({ ref: ModelRef }).strict(), ModelVersion),
  register: method(RegisterInput, ModelVersion),
  /** Sets the model's (no version) or a version's description and tags. */
  update: method(
    z.object({ name: ModelName, version: VersionNumber.optional(), description: z.string().max(100_000).optional(), tags: Tags.optional() }).strict(),
    z.object({ ok: z.literal(true) }),
  ),
  /** Removes one version (refused while an alias points at it) or, without a version, the whole model. */
  remove: method(z.object({ name: ModelName, version: VersionNumber.optional() }).strict(), z.object({ removedVersions: z.number().int() })),
  setAlias: method(
    z
      .object({ name: ModelName, alias: AliasName, version: VersionNumber, reason: z.string().max(2000).optional(), force: z.boolean().default(false) })
      .strict()
      .refine((v) => !v.force || (v.reason ?? '').trim().length > 0, { message: 'a forced move needs a reason', path: ['reason'] }),
    AliasEvent,
  ),
  removeAlias: method(z.object({ name: ModelName, alias: AliasName, reason: z.string().max(2000).optional() }).strict(), AliasEvent),
  setGate: method(z.object({ name: ModelName, gate: GateConfig.partial() }).strict(), RegisteredModel),
  /** Runs the gate for a version without moving anything; the report is stored. */
  checkGate: method(z.object({ ref: ModelRef, alias: AliasName.default('champion') }).strict(), GateReport),
  evaluate: method(
    z.object({ refs: z.array(ModelRef).min(1).max(10), data: PredictData, rows: z.enum(['test', 'all']).default('test') }).strict(),
    EvaluateResult,
  ),
  predict: method(z.object({ ref: ModelRef, data: PredictData }).strict(), PredictResult),
  /** Writes the version to a folder (a shared drive): model files, manifest, card and gate report. */
  exportFolder: method(
    z.object({ ref: ModelRef, dir: z.string().min(1), ...Transfer }).strict(),
    z.object({ path: z.string(), bytes: z.number().int() }),
  ),
  /** Registers a version exported to a folder (verified file by file) as version N+1 of `name`. */
  importFolder: method(z.object({ dir: z.string().min(1), name: ModelName, ...Transfer }).strict(), ModelVersion),
  push: method(z.object({ ref: ModelRef, reference: OciReference, ...Transfer }).strict(), PushResult),
  pull: method(z.object({ reference: OciReference, name: ModelName, ...Transfer }).strict(), ModelVersion),
  cancelTransfer: method(z.object({ transferId: Id }).strict(), z.object({ cancelled: z.boolean() })),
  /** Saves a registry's credentials in the credentials file (mode 0600); never in the database. */
  login: method(
    z.object({ registry: z.string().min(1).max(300), username: z.string().min(1).max(300), password: z.string().min(1).max(10_000) }).strict(),
    z.object({ registry: z.string(), stored: z.string() }),
  ),
  logout: method(z.object({ registry: z.string().min(1).max(300) }).strict(), z.object({ removed: z.boolean() })),
};
