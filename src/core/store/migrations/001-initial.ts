import type { Migration } from './types';

/** Datasets, the job queue and its logs, and the experiment tracking tables. */
export const initial: Migration = {
  version: 1,
  name: 'initial',
  sql: `
    CREATE TABLE datasets (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      filename TEXT NOT NULL,
      path TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      rows INTEGER NOT NULL,
      columns TEXT NOT NULL,
      time_column TEXT,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE jobs (
      id TEXT PRIMARY KEY,
      kind TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'cancelled')),
      priority TEXT NOT NULL CHECK (priority IN ('urgent', 'high', 'normal', 'low')),
      priority_rank INTEGER NOT NULL,
      spec TEXT NOT NULL,
      dataset_id TEXT REFERENCES datasets(id),
      run_id TEXT,
      progress_step TEXT,
      progress_fraction REAL NOT NULL DEFAULT 0,
      eta_ms INTEGER,
      error TEXT,
      attempt INTEGER NOT NULL DEFAULT 1,
      retry_of TEXT REFERENCES jobs(id),
      created_at INTEGER NOT NULL,
      started_at INTEGER,
      finished_at INTEGER,
      updated_at INTEGER NOT NULL
    );
    -- The scheduler's question: the oldest queued job of the highest priority.
    CREATE INDEX jobs_queue ON jobs (status, priority_rank, created_at, id);

    CREATE TABLE job_logs (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
      ts INTEGER NOT NULL,
      level TEXT NOT NULL CHECK (level IN ('debug', 'info', 'warn', 'error')),
      message TEXT NOT NULL
    );
    CREATE INDEX job_logs_job ON job_logs (job_id, id);

    CREATE TABLE experiments (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      created_at INTEGER NOT NULL
    );

    CREATE TABLE runs (
      id TEXT PRIMARY KEY,
      experiment_id TEXT NOT NULL REFERENCES experiments(id),
      job_id TEXT REFERENCES jobs(id),
      status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'failed', 'cancelled')),
      model TEXT NOT NULL,
      dataset_id TEXT REFERENCES datasets(id),
      dataset_sha256 TEXT,
      backend TEXT,
      device TEXT,
      created_at INTEGER NOT NULL,
      finished_at INTEGER
    );
    CREATE INDEX runs_experiment ON runs (experiment_id, created_at);

    CREATE TABLE params (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      PRIMARY KEY (run_id, key)
    ) WITHOUT ROWID;

    CREATE TABLE metrics (
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      key TEXT NOT NULL,
      step INTEGER NOT NULL,
      ts INTEGER NOT NULL,
      value REAL NOT NULL
    );
    CREATE INDEX metrics_series ON metrics (run_id, key, step);

    CREATE TABLE artifacts (
      id TEXT PRIMARY KEY,
      run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
      kind TEXT NOT NULL,
      path TEXT NOT NULL,
      size_bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX artifacts_run ON artifacts (run_id);
  `,
};
