import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { JobRepository, LATEST_SCHEMA_VERSION, migrate, openStore, schemaVersion } from './index';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function dbFile(): string {
  const t = tempDir();
  cleanup = t.cleanup;
  return join(t.dir, 'trainyard.db');
}

describe('store', () => {
  it('creates every table in WAL mode at the latest schema version', async () => {
    const file = dbFile();
    const store = openStore(file);
    expect(schemaVersion(store.raw)).toBe(LATEST_SCHEMA_VERSION);
    expect(store.raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const tables = store.raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(['artifacts', 'datasets', 'experiments', 'job_logs', 'jobs', 'metrics', 'params', 'runs']));
    await store.close();
  });

  it('opening twice applies nothing the second time', async () => {
    const file = dbFile();
    await openStore(file).close();
    const raw = new Database(file);
    expect(migrate(raw)).toEqual([]);
    raw.close();
  });

  it('refuses a database written by a newer schema and leaves the file byte-for-byte unchanged', async () => {
    const file = dbFile();
    await openStore(file).close();
    const raw = new Database(file);
    raw.pragma('journal_mode = DELETE'); // no -wal side file: the main file is the whole database
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = readFileSync(file);
    expect(() => openStore(file)).toThrow(/newer Trainyard \(schema version \d+; this version knows up to \d+\)/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a migration that fails leaves the previous version in place', () => {
    const file = dbFile();
    const raw = new Database(file);
    const bad = [
      { version: 1, name: 'one', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (y INTEGER); INSERT INTO nowhere VALUES (1);' },
    ];
    expect(() => migrate(raw, bad)).toThrow(/nowhere/);
    expect(schemaVersion(raw)).toBe(1);
    expect(raw.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get()).toBe(0);
    raw.close();
  });

  it('refuses a file that is not a database with a clear error', () => {
    const file = dbFile();
    writeFileSync(file, 'this is not sqlite, just text long enough to have a header.........................................');
    expect(() => openStore(file)).toThrow(/not a database/);
  });

  it('a compare-and-set update does nothing when the status moved on', async () => {
    const store = openStore(dbFile());
    store.raw.pragma('foreign_keys = OFF');
    const jobs = new JobRepository(store.db);
    const spec = { kind: 'noop' as const, sleepMs: 0 };
    const resources = { gpus: 0, cpuSlots: 1, memoryMB: 1 };
    await jobs.insert({ id: 'j', spec, priority: 'normal', resources, retryPolicy: { maxAttempts: 1, backoffMs: 0 }, after: [], attempt: 1, retryOf: null, sizeKey: '', estimateMs: null, createdAt: 1 });
    expect(await jobs.transition('j', 'queued', { to: 'cancelled', ts: 2, cause: 'cancelled by the user' })).toMatchObject({ status: 'cancelled' });
    expect(await jobs.transition('j', 'queued', { to: 'running', ts: 3, cause: 'started' })).toBeUndefined();
    expect((await jobs.get('j'))?.status).toBe('cancelled');
    // The losing transition left no row: the timeline says exactly what happened.
    expect((await jobs.transitions('j')).map((t) => `${t.from ?? '-'}>${t.to}:${t.cause}`)).toEqual(['->queued:submitted', 'queued>cancelled:cancelled by the user']);
    await store.close();
  });
});
