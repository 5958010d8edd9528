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

export interface DB {
  datasets: DatasetsTable;
  jobs: JobsTable;
  job_logs: JobLogsTable;
  experiments: ExperimentsTable;
  runs: RunsTable;
  params: ParamsTable;
  metrics: MetricsTable;
  artifacts: ArtifactsTable;
}
