/**
 * The schema change that lets a study end `failed`: a database at the previous version, holding a
 * study and its trials, keeps every row through the upgrade, and the trials still belong to their
 * study (deleting it deletes them).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { MIGRATIONS, migrate, openStore, schemaVersion } from '../store';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('the study-failure migration', () => {
  it('keeps studies and trials, links them still, and accepts failed with a reason', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'trainyard.db');
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    // The schema as the version before this change left it.
    migrate(raw, MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => m.name === 'study-failure')));
    raw.prepare("INSERT INTO studies (id, name, status, spec, train, priority, pending, created_at, updated_at) VALUES ('s', 'kept', 'completed', '{}', '{}', 'normal', '[]', 1, 2)").run();
    for (const n of [0, 1]) {
      raw.prepare("INSERT INTO trials (id, study_id, number, state, params, value, started_at) VALUES (?, 's', ?, 'completed', '{}', ?, 1)").run(`t${n}`, n, n + 0.5);
    }
    expect(() => raw.prepare("UPDATE studies SET status = 'failed' WHERE id = 's'").run()).toThrow(/CHECK/);
    raw.close();

    const store = openStore(file);
    expect(schemaVersion(store.raw)).toBe(MIGRATIONS.at(-1)!.version);
    expect(store.raw.prepare("SELECT name, status, failure_reason FROM studies WHERE id = 's'").get()).toEqual({ name: 'kept', status: 'completed', failure_reason: null });
    expect(store.raw.prepare("SELECT id, value FROM trials WHERE study_id = 's' ORDER BY number").all()).toEqual([
      { id: 't0', value: 0.5 },
      { id: 't1', value: 1.5 },
    ]);
    store.raw.prepare("UPDATE studies SET status = 'failed', failure_reason = 'every trial failed' WHERE id = 's'").run();
    expect(() => store.raw.prepare("UPDATE studies SET status = 'stuck' WHERE id = 's'").run()).toThrow(/CHECK/);
    expect(() => store.raw.prepare("INSERT INTO trials (id, study_id, number, state, params, started_at) VALUES ('orphan', 'nope', 0, 'running', '{}', 1)").run()).toThrow(/FOREIGN KEY/);
    store.raw.prepare("DELETE FROM studies WHERE id = 's'").run();
    expect(store.raw.prepare('SELECT count(*) FROM trials').pluck().get()).toBe(0);
    await store.close();
  });
});
