/**
 * Row types of the SQLite schema, as kysely sees them. Names match the contract: a job's `status`
 * holds the same strings here, in the API and in the UI. Times are UTC epoch milliseconds.
 */
import type { Generated } from 'kysely';

export interface DatasetsTable {
  id: string;
  name: string;
  filename: string;
  /** Path of the stored copy, relative to the data directory. */
  path: string;
  sha256: string;
  size_bytes: number;
  rows: number;
  /** JSON: ColumnStats[] */
  columns: string;
  time_column: string | null;
  created_at: number;
}

export interface JobsTable {
  id: string;
  kind: string;
  status: string;
  priority: string;
  /** 0 = urgent ... 3 = low: lets SQLite order the queue with an index. */
  priority_rank: number;
  /** JSON: TrainSpec */
  spec: string;
  dataset_id: string | null;
  run_id: string | null;
  progress_step: string | null;
  progress_fraction: number;
  eta_ms: number | null;
  error: string | null;
  attempt: number;
  retry_of: string | null;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  updated_at: number;
  /** JSON: JobResources */
  resources: string;
  /** JSON: RetryPolicy */
  retry_policy: string;
  /** JSON: job ids this job waits for */
  after_ids: string;
  /** JSON: GPU indices the job was pinned to */
  gpu_indices: string;
  not_before: number | null;
  estimate_ms: number | null;
  crashes: number;
  size_key: string;
  /** The cluster target it runs on (clusters.name); null: this machine. */
  cluster: string | null;
  /** The cluster's own id for it (Slurm's job id), once submitted. */
  cluster_job_id: string | null;
  /** The cluster's last reported state (Slurm's RUNNING, PENDING...). */
  cluster_state: string | null;
}

export interface ClustersTable {
  name: string;
  kind: string;
  partition: string | null;
  account: string | null;
  /** Absolute folder on the filesystem the cluster's nodes share with this machine. */
  workdir: string;
  max_in_flight: number;
  created_at: number;
}

export interface JobTransitionsTable {
  id: Generated<number>;
  job_id: string;
  from_status: string | null;
  to_status: string;
  ts: number;
  cause: string;
  exit_code: number | null;
  signal: string | null;
  /** JSON: string[] */
  log_tail: string;
}

export interface SettingsTable {
  key: string;
  /** JSON */
  value: string;
}

export interface JobLogsTable {
  id: Generated<number>;
  job_id: string;
  ts: number;
  level: string;
  message: string;
}

export interface ExperimentsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface RunsTable {
  id: string;
  experiment_id: string;
  job_id: string | null;
  status: string;
  model: string;
  dataset_id: string | null;
  dataset_sha256: string | null;
  backend: string | null;
  device: string | null;
  created_at: number;
  finished_at: number | null;
  note: string | null;
  /** 0 or 1: archived runs are hidden from lists, not deleted. */
  archived: number;
}

export interface RunTagsTable {
  run_id: string;
  key: string;
  value: string;
}

/** The latest point of each metric key of each run, maintained on write (what queries and sorts read). */
export interface MetricSummaryTable {
  run_id: string;
  key: string;
  step: number;
  ts: number;
  value: number;
}

export interface ParamsTable {
  run_id: string;
  key: string;
  /** JSON scalar: keeps numbers, strings and booleans apart. */
  value: string;
}

export interface MetricsTable {
  run_id: string;
  key: string;
  step: number;
  ts: number;
  value: number;
}

export interface ArtifactsTable {
  id: string;
  run_id: string;
  kind: string;
  path: string;
  size_bytes: number;
  sha256: string;
  created_at: number;
}

/** An HPO study. JSON columns hold the contract's StudySpec and TrainSpec. */
export interface StudiesTable {
  id: string;
  name: string;
  status: string;
  /** JSON: StudySpec */
  spec: string;
  /** JSON: TrainSpec, the template every trial trains */
  train: string;
  priority: string;
  /** JSON: warm-start params not yet given a trial */
  pending: string;
  /** JSON: ParamImportance[], recomputed as trials finish */
  importance: string | null;
  created_at: number;
  finished_at: number | null;
  updated_at: number;
  /** Why a failed study stopped */
  failure_reason: string | null;
  /** The cluster target its trials run on; null: this machine. */
  cluster: string | null;
}

/** One trial of a study; `job_id` links it to the job that runs it (across restarts too). */
export interface TrialsTable {
  id: string;
  study_id: string;
  number: number;
  state: string;
  /** JSON: active params */
  params: string;
  value: number | null;
  /** JSON: IntermediateValue[] in step order */
  intermediate: string;
  job_id: string | null;
  run_id: string | null;
  error: string | null;
  started_at: number;
  ended_at: number | null;
}

/** A registered model. JSON columns: tags (Record<string, string>), gate (GateConfig). */
export interface RegisteredModelsTable {
  name: string;
  task: string;
  description: string;
  tags: string;
  gate: string;
  /** The highest version number ever given (removed versions' numbers are not reused). */
  last_version: Generated<number>;
  created_at: number;
  updated_at: number;
}

/** One immutable version. JSON columns: tags, files (ModelFile[]), schema, lineage, card. */
export interface ModelVersionsTable {
  model: string;
  version: number;
  created_at: number;
  description: string;
  tags: string;
  files: string;
  digest: string;
  size_bytes: number;
  schema: string;
  lineage: string;
  source_kind: string;
  source_ref: string;
  card: string;
  run_id: string | null;
}

export interface ModelAliasesTable {
  model: string;
  alias: string;
  version: number;
  updated_at: number;
}

/** JSON column: checks (GateCheck[]). `passed` is 0 or 1. */
export interface GateReportsTable {
  id: string;
  model: string;
  version: number;
  alias: string | null;
  at: number;
  passed: number;
  checks: string;
}

export interface AliasEventsTable {
  id: string;
  model: string;
  alias: string;
  from_version: number | null;
  to_version: number | null;
  at: number;
  reason: string | null;
  forced: number;
  gate_report_id: string | null;
}

/** What one promotion hook did after an alias event. JSON column: hook (PromotionHook). */
export interface HookRunsTable {
  id: string;
  event_id: string;
  hook: string;
  at: number;
  ok: number;
  detail: string;
}

export interface DB {
  datasets: DatasetsTable;
  jobs: JobsTable;
  job_logs: JobLogsTable;
  job_transitions: JobTransitionsTable;
  settings: SettingsTable;
  experiments: ExperimentsTable;
  runs: RunsTable;
  params: ParamsTable;
  metrics: MetricsTable;
  artifacts: ArtifactsTable;
  run_tags: RunTagsTable;
  metric_summary: MetricSummaryTable;
  studies: StudiesTable;
  clusters: ClustersTable;
  trials: TrialsTable;
  registered_models: RegisteredModelsTable;
  model_versions: ModelVersionsTable;
  model_aliases: ModelAliasesTable;
  gate_reports: GateReportsTable;
  alias_events: AliasEventsTable;
  hook_runs: HookRunsTable;
}
