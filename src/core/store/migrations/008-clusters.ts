import type { Migration } from './types';

/**
 * Cluster targets (a Slurm cluster reached through its CLI) and, on each job, where it runs: its
 * cluster, and the cluster's own job id and last known state, so a restarted core re-attaches to
 * what it submitted instead of submitting it again. A study keeps the cluster its trials run on.
 */
export const clusters: Migration = {
  version: 8,
  name: 'clusters',
  sql: `
    CREATE TABLE clusters (
      name TEXT PRIMARY KEY,
      kind TEXT NOT NULL CHECK (kind IN ('slurm')),
      partition TEXT,
      account TEXT,
      workdir TEXT NOT NULL,
      max_in_flight INTEGER NOT NULL,
      created_at INTEGER NOT NULL
    );
    ALTER TABLE jobs ADD COLUMN cluster TEXT;
    ALTER TABLE jobs ADD COLUMN cluster_job_id TEXT;
    ALTER TABLE jobs ADD COLUMN cluster_state TEXT;
    CREATE INDEX jobs_cluster ON jobs (cluster, status);
    ALTER TABLE studies ADD COLUMN cluster TEXT;
  `,
};
