/**
 * The command-jobs schema change: the registry's tables are rebuilt so a model's task may be
 * `command`. A version-6 database with a model, a version, an alias, a gate report, an alias event and
 * a hook run keeps every row, and the rebuilt tables keep their checks, keys and cascades.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate, openStore, schemaVersion } from '../store';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

const TABLES = ['registered_models', 'model_versions', 'model_aliases', 'gate_reports', 'alias_events', 'hook_runs'];

describe('the command-jobs migration', () => {
  it('keeps every registry row, admits command models, and keeps the keys and cascades', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'trainyard.db');
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 6));
    raw.exec(`
      INSERT INTO registered_models (name, task, gate, last_version, created_at, updated_at) VALUES ('co2', 'forecast', '{}', 1, 1, 1);
      INSERT INTO model_versions (model, version, created_at, files, digest, size_bytes, schema, lineage, source_kind, source_ref, card, run_id)
        VALUES ('co2', 1, 1, '[]', 'x', 0, '{}', '{}', 'run', 'r', '{}', 'r');
      INSERT INTO model_aliases (model, alias, version, updated_at) VALUES ('co2', 'champion', 1, 1);
      INSERT INTO gate_reports (id, model, version, alias, at, passed, checks) VALUES ('g', 'co2', 1, 'champion', 1, 1, '[]');
      INSERT INTO alias_events (id, model, alias, from_version, to_version, at, reason, forced, gate_report_id) VALUES ('e', 'co2', 'champion', NULL, 1, 1, NULL, 0, 'g');
      INSERT INTO hook_runs (id, event_id, hook, at, ok, detail) VALUES ('h', 'e', 'notify', 1, 1, 'sent');
    `);
    const before = Object.fromEntries(TABLES.map((n) => [n, raw.prepare(`SELECT * FROM ${n}`).all()]));
    raw.close();

    const store = openStore(file);
    const db = store.raw;
    expect(schemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    for (const n of TABLES) expect(db.prepare(`SELECT * FROM ${n}`).all(), n).toEqual(before[n]);
    expect(db.prepare('PRAGMA foreign_key_check').all()).toEqual([]);
    // The indexes came back.
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'model_versions_run'").pluck().get()).toBe('model_versions_run');

    db.prepare("INSERT INTO registered_models (name, task, gate, created_at, updated_at) VALUES ('digits', 'command', '{}', 1, 1)").run();
    expect(() => db.prepare("INSERT INTO registered_models (name, task, gate, created_at, updated_at) VALUES ('x', 'vision', '{}', 1, 1)").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO model_aliases (model, alias, version, updated_at) VALUES ('co2', 'candidate', 7, 1)").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("DELETE FROM model_versions WHERE model = 'co2' AND version = 1").run()).toThrow(/FOREIGN KEY/); // an alias points at it
    db.prepare("DELETE FROM registered_models WHERE name = 'co2'").run();
    for (const n of ['model_versions', 'model_aliases', 'gate_reports', 'alias_events', 'hook_runs']) expect(db.prepare(`SELECT count(*) FROM ${n}`).pluck().get(), n).toBe(0);
    await store.close();
  });
});
