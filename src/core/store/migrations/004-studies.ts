import type { Migration } from './types';

/**
 * HPO studies and their trials. A study keeps its spec, the train template every trial starts
 * from, the warm-start params still to run, and its cached parameter importance. A trial keeps its
 * params, value and learning curve (intermediate values), and the job that runs it: the job id is
 * the link that lets a study pick its trials up again after a restart.
 */
export const studies: Migration = {
  version: 4,
  name: 'studies',
  sql: `
    CREATE TABLE studies (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled')),
      spec TEXT NOT NULL,
      train TEXT NOT NULL,
      priority TEXT NOT NULL,
      pending TEXT NOT NULL DEFAULT '[]',
      importance TEXT,
      created_at INTEGER NOT NULL,
      finished_at INTEGER,
      updated_at INTEGER NOT NULL
    );
    CREATE INDEX studies_listing ON studies (created_at, id);
    CREATE INDEX studies_status ON studies (status);

    CREATE TABLE trials (
      id TEXT PRIMARY KEY,
      study_id TEXT NOT NULL REFERENCES studies(id) ON DELETE CASCADE,
      number INTEGER NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('running', 'completed', 'pruned', 'failed')),
      params TEXT NOT NULL,
      value REAL,
      intermediate TEXT NOT NULL DEFAULT '[]',
      job_id TEXT,
      run_id TEXT,
      error TEXT,
      started_at INTEGER NOT NULL,
      ended_at INTEGER,
      UNIQUE (study_id, number)
    );
    -- Counts by state and the best value of a study are read from this index alone.
    CREATE INDEX trials_state ON trials (study_id, state, value);
    CREATE INDEX trials_job ON trials (job_id);
  `,
};
