import type { Migration } from './types';

/**
 * The queue grows up: what a job needs (resources), how it retries, what it waits for, where it was
 * pinned, its duration estimate; every status change recorded with its cause; queue settings.
 */
export const queue: Migration = {
  version: 2,
  name: 'queue',
  sql: `
    ALTER TABLE jobs ADD COLUMN resources TEXT NOT NULL DEFAULT '{"gpus":0,"cpuSlots":1,"memoryMB":512}';
    ALTER TABLE jobs ADD COLUMN retry_policy TEXT NOT NULL DEFAULT '{"maxAttempts":1,"backoffMs":5000}';
    -- JSON array of job ids this job waits for.
    ALTER TABLE jobs ADD COLUMN after_ids TEXT NOT NULL DEFAULT '[]';
    -- JSON array of GPU indices the job was pinned to.
    ALTER TABLE jobs ADD COLUMN gpu_indices TEXT NOT NULL DEFAULT '[]';
    -- A job re-queued after a crash waits out its backoff: it does not start before this time.
    ALTER TABLE jobs ADD COLUMN not_before INTEGER;
    ALTER TABLE jobs ADD COLUMN estimate_ms INTEGER;
    -- Crashes of this same job (not counting manual retries, which are new jobs).
    ALTER TABLE jobs ADD COLUMN crashes INTEGER NOT NULL DEFAULT 0;
    -- A size class for duration estimates: jobs of the same kind and size take about as long.
    ALTER TABLE jobs ADD COLUMN size_key TEXT NOT NULL DEFAULT '';
    CREATE INDEX jobs_estimate ON jobs (kind, size_key, status, finished_at);
    CREATE INDEX jobs_finished ON jobs (status, finished_at);

    CREATE TABLE job_transitions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      job_id TEXT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
      from_status TEXT,
      to_status TEXT NOT NULL,
      ts INTEGER NOT NULL,
      cause TEXT NOT NULL,
      exit_code INTEGER,
      signal TEXT,
      -- JSON array of the last log lines of a crash.
      log_tail TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX job_transitions_job ON job_transitions (job_id, id);
    INSERT INTO job_transitions (job_id, from_status, to_status, ts, cause)
      SELECT id, NULL, 'queued', created_at, 'submitted' FROM jobs;

    -- Retention sweeps delete by age and level.
    CREATE INDEX job_logs_ts ON job_logs (ts);

    CREATE TABLE settings (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
  `,
};
