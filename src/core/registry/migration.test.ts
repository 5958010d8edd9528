/**
 * The registry's schema change: a database at version 5, holding datasets, runs and a study, keeps
 * every row through the upgrade; the new tables enforce their keys and checks (an alias on a
 * missing version, a version an alias points at, a bad task).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { MIGRATIONS, migrate, openStore, schemaVersion } from '../store';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the registry migration', () => {
  it('upgrades a version-5 database keeping its rows, and the new tables hold their constraints', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'trainyard.db');
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    migrate(raw, MIGRATIONS.filter((m) => m.version <= 5));
    expect(schemaVersion(raw)).toBe(5);
    raw.prepare("INSERT INTO datasets (id, name, filename, path, sha256, size_bytes, rows, columns, time_column, created_at) VALUES ('d', 'co2', 'co2.csv', 'datasets/d.csv', 'abc', 10, 3, '[]', 'Date', 1)").run();
    raw.prepare("INSERT INTO experiments (id, name, created_at) VALUES ('e', 'default', 1)").run();
    raw.prepare("INSERT INTO runs (id, experiment_id, status, model, created_at, archived) VALUES ('r', 'e', 'completed', 'linear', 1, 0)").run();
    raw.prepare("INSERT INTO studies (id, name, status, spec, train, priority, pending, created_at, updated_at) VALUES ('s', 'kept', 'completed', '{}', '{}', 'normal', '[]', 1, 2)").run();
    raw.close();

    const store = openStore(file);
    const db = store.raw;
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.version);
    expect(db.prepare("SELECT name, sha256 FROM datasets WHERE id = 'd'").get()).toEqual({ name: 'co2', sha256: 'abc' });
    expect(db.prepare("SELECT status, model FROM runs WHERE id = 'r'").get()).toEqual({ status: 'completed', model: 'linear' });
    expect(db.prepare("SELECT name FROM studies WHERE id = 's'").pluck().get()).toBe('kept');

    db.prepare("INSERT INTO registered_models (name, task, gate, created_at, updated_at) VALUES ('co2', 'forecast', '{}', 1, 1)").run();
    expect(() => db.prepare("INSERT INTO registered_models (name, task, gate, created_at, updated_at) VALUES ('x', 'vision', '{}', 1, 1)").run()).toThrow(/CHECK/);
    const version = db.prepare(
      "INSERT INTO model_versions (model, version, created_at, files, digest, size_bytes, schema, lineage, source_kind, source_ref, card, run_id) VALUES ('co2', ?, 1, '[]', 'x', 0, '{}', '{}', 'run', 'r', '{}', 'r')",
    );
    version.run(1);
    expect(() => version.run(0)).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO model_aliases (model, alias, version, updated_at) VALUES ('co2', 'champion', 2, 1)").run()).toThrow(/FOREIGN KEY/);
    db.prepare("INSERT INTO model_aliases (model, alias, version, updated_at) VALUES ('co2', 'champion', 1, 1)").run();
    expect(() => db.prepare("DELETE FROM model_versions WHERE model = 'co2' AND version = 1").run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare("INSERT INTO alias_events (id, model, alias, at, forced) VALUES ('e', 'co2', 'champion', 1, 0)").run()).toThrow(/CHECK/);
    await store.close();
  });
});
