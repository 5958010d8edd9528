import type { Migration } from './types';

/**
 * A study can end `failed`, with the reason it stopped (every trial failed, its sampler threw, it
 * could not resume). SQLite cannot change a CHECK constraint in place, so both tables are rebuilt,
 * rows kept as they are. The trials move first: dropping the old studies table while trials still
 * referenced it would cascade-delete them (foreign keys are on, and cannot be turned off inside the
 * migration's transaction). Renaming the new studies table carries the trials' reference with it.
 */
export const studyFailure: Migration = {
  version: 5,
  name: 'study-failure',
  sql: `
    CREATE TABLE studies_next (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'cancelled', 'failed')),
      spec TEXT NOT NULL,
      train TEXT NOT NULL,
      priority TEXT NOT NULL,
      pending TEXT NOT NULL DEFAULT '[]',
      importance TEXT,
      created_at INTEGER NOT NULL,
      finished_at INTEGER,
      updated_at INTEGER NOT NULL,
      failure_reason TEXT
    );
    INSERT INTO studies_next (id, name, status, spec, train, priority, pending, importance, created_at, finished_at, updated_at)
      SELECT id, name, status, spec, train, priority, pending, importance, created_at, finished_at, updated_at FROM studies;

    CREATE TABLE trials_next (
      id TEXT PRIMARY KEY,
      study_id TEXT NOT NULL REFERENCES studies_next(id) ON DELETE CASCADE,
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
    INSERT INTO trials_next SELECT id, study_id, number, state, params, value, intermediate, job_id, run_id, error, started_at, ended_at FROM trials;

    DROP TABLE trials;
    DROP TABLE studies;
    ALTER TABLE studies_next RENAME TO studies;
    ALTER TABLE trials_next RENAME TO trials;

    CREATE INDEX studies_listing ON studies (created_at, id);
    CREATE INDEX studies_status ON studies (status);
    CREATE INDEX trials_state ON trials (study_id, state, value);
    CREATE INDEX trials_job ON trials (job_id);
  `,
};
