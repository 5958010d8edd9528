import type { Migration } from './types';

/**
 * The model registry. A registered model is a name with a task; its versions are immutable
 * (manifest, digest, schema, lineage, source and card as JSON), their files content-addressed on
 * disk. Aliases point at versions and each move is an alias event; gate reports are kept for every
 * check, moved or refused, and outlive the version they judged (they are the alias history's
 * evidence). Hook runs record what each promotion hook did after a protected alias moved.
 * A version an alias points at cannot be deleted: the aliases' foreign key refuses it.
 */
export const registry: Migration = {
  version: 6,
  name: 'registry',
  sql: `
    CREATE TABLE registered_models (
      name TEXT PRIMARY KEY,
      task TEXT NOT NULL CHECK (task IN ('forecast', 'anomaly')),
      description TEXT NOT NULL DEFAULT '',
      tags TEXT NOT NULL DEFAULT '{}',
      gate TEXT NOT NULL,
      -- The highest version number ever given: a removed version's number is never reused, so its
      -- alias events and gate reports can never be read as another version's.
      last_version INTEGER NOT NULL DEFAULT 0 CHECK (last_version >= 0),
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );

    CREATE TABLE model_versions (
      model TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
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
    CREATE INDEX model_versions_run ON model_versions (run_id);
    CREATE INDEX model_versions_digest ON model_versions (digest);

    CREATE TABLE model_aliases (
      model TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
      alias TEXT NOT NULL,
      version INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      PRIMARY KEY (model, alias),
      FOREIGN KEY (model, version) REFERENCES model_versions(model, version)
    );
    CREATE INDEX model_aliases_version ON model_aliases (model, version);

    CREATE TABLE gate_reports (
      id TEXT PRIMARY KEY,
      model TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      alias TEXT,
      at INTEGER NOT NULL,
      passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
      checks TEXT NOT NULL
    );
    CREATE INDEX gate_reports_version ON gate_reports (model, version, at);
    CREATE INDEX gate_reports_at ON gate_reports (model, at);

    CREATE TABLE alias_events (
      id TEXT PRIMARY KEY,
      model TEXT NOT NULL REFERENCES registered_models(name) ON DELETE CASCADE,
      alias TEXT NOT NULL,
      from_version INTEGER,
      to_version INTEGER,
      at INTEGER NOT NULL,
      reason TEXT,
      forced INTEGER NOT NULL CHECK (forced IN (0, 1)),
      gate_report_id TEXT REFERENCES gate_reports(id) ON DELETE SET NULL,
      CHECK (from_version IS NOT NULL OR to_version IS NOT NULL)
    );
    CREATE INDEX alias_events_model ON alias_events (model, at);

    CREATE TABLE hook_runs (
      id TEXT PRIMARY KEY,
      event_id TEXT NOT NULL REFERENCES alias_events(id) ON DELETE CASCADE,
      hook TEXT NOT NULL,
      at INTEGER NOT NULL,
      ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
      detail TEXT NOT NULL
    );
    CREATE INDEX hook_runs_event ON hook_runs (event_id, at);
  `,
};
