import type { Migration } from './types';

/**
 * A registered model's task may be `command`: a command run's artifacts (whatever the user's
 * program saved) are registered and versioned like any model, with no built-in predict. SQLite
 * cannot change a CHECK constraint in place, so the registry's tables are rebuilt, rows kept as they
 * are. Every table that refers to a model is rebuilt beside it and the old ones are dropped children
 * first: dropping the old models table while rows still referred to it would cascade-delete them
 * (foreign keys are on, and cannot be turned off inside the migration's transaction). Renaming the
 * new tables carries their references with them.
 */
export const commandJobs: Migration = {
  version: 9,
  name: 'command-jobs',
  sql: `
    CREATE TABLE registered_models_next (
      name TEXT PRIMARY KEY,
      task TEXT NOT NULL CHECK (task IN ('forecast', 'anomaly', 'command')),
      description TEXT NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '{}',
      gate TEXT NOT NULL,
      last_version INTEGER NOT NULL DEFAULT 0 CHECK (last_version >= 0),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    INSERT INTO registered_models_next SELECT * FROM registered_models;

    CREATE TABLE model_versions_next (
      model TEXT NOT NULL REFERENCES registered_models_next(name) ON DELETE CASCADE,
      version INTEGER NOT NULL CHECK (version >= 1),
      created_at INTEGER NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '{}',
      files TEXT NOT NULL,
      digest TEXT NOT NULL,
      size_bytes INTEGER NOT NULL CHECK (size_bytes >= 0),
      schema TEXT NOT NULL,
      lineage TEXT NOT NULL,
      source_kind TEXT NOT NULL CHECK (source_kind IN ('run', 'study', 'pull', 'folder')),
      source_ref TEXT NOT NULL,
      card TEXT NOT NULL,
      run_id TEXT,
      PRIMARY KEY (model, version)
    );
    INSERT INTO model_versions_next SELECT * FROM model_versions;

    CREATE TABLE model_aliases_next (
      model TEXT NOT NULL REFERENCES registered_models_next(name) ON DELETE CASCADE,
      alias TEXT NOT NULL,
      version INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (model, alias),
      FOREIGN KEY (model, version) REFERENCES model_versions_next(model, version)
    );
    INSERT INTO model_aliases_next SELECT * FROM model_aliases;

    CREATE TABLE gate_reports_next (
      id TEXT PRIMARY KEY,
      model TEXT NOT NULL REFERENCES registered_models_next(name) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      alias TEXT,
      at INTEGER NOT NULL,
      passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
      checks TEXT NOT NULL
    );
    INSERT INTO gate_reports_next SELECT * FROM gate_reports;

    CREATE TABLE alias_events_next (
      id TEXT PRIMARY KEY,
      model TEXT NOT NULL REFERENCES registered_models_next(name) ON DELETE CASCADE,
      alias TEXT NOT NULL,
      from_version INTEGER,
      to_version INTEGER,
      at INTEGER NOT NULL,
      reason TEXT,
      forced INTEGER NOT NULL CHECK (forced IN (0, 1)),
      gate_report_id TEXT REFERENCES gate_reports_next(id) ON DELETE SET NULL,
      CHECK (from_version IS NOT NULL OR to_version IS NOT NULL)
    );
    INSERT INTO alias_events_next SELECT * FROM alias_events;

    CREATE TABLE hook_runs_next (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL REFERENCES alias_events_next(id) ON DELETE CASCADE,
      hook TEXT NOT NULL,
      at INTEGER NOT NULL,
      ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
      detail TEXT NOT NULL
    );
    INSERT INTO hook_runs_next SELECT * FROM hook_runs;

    DROP TABLE hook_runs;
    DROP TABLE alias_events;
    DROP TABLE gate_reports;
    DROP TABLE model_aliases;
    DROP TABLE model_versions;
    DROP TABLE registered_models;
    ALTER TABLE registered_models_next RENAME TO registered_models;
    ALTER TABLE model_versions_next RENAME TO model_versions;
    ALTER TABLE model_aliases_next RENAME TO model_aliases;
    ALTER TABLE gate_reports_next RENAME TO gate_reports;
    ALTER TABLE alias_events_next RENAME TO alias_events;
    ALTER TABLE hook_runs_next RENAME TO hook_runs;

    CREATE INDEX model_versions_run ON model_versions (run_id);
    CREATE INDEX model_versions_digest ON model_versions (digest);
    CREATE INDEX model_aliases_version ON model_aliases (model, version);
    CREATE INDEX gate_reports_version ON gate_reports (model, version, at);
    CREATE INDEX gate_reports_at ON gate_reports (model, at);
    CREATE INDEX alias_events_model ON alias_events (model, at);
    CREATE INDEX hook_runs_event ON hook_runs (event_id, at);
  `,
};
