/**
 * The migration runner. Each pending migration runs in its own transaction together with the bump
 * of `user_version`, so a crash mid-upgrade leaves the previous version intact.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { Unavailable } from '../../shared/errors';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration } from './migrations';

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** Refuses, without touching the file, a database that a newer Trainyard wrote. */
export function assertNotNewer(db: BetterSqlite3.Database, file: string): void {
  const version = schemaVersion(db);
  if (version > LATEST_SCHEMA_VERSION) {
    throw new Unavailable(
      `The database ${file} was written by a newer Trainyard (schema version ${version}; this version knows up to ${LATEST_SCHEMA_VERSION}). ` +
        'Upgrade Trainyard to open it; the file was left unchanged.',
    );
  }
}

export function migrate(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  const applied: number[] = [];
  for (const m of migrations) {
    if (m.version <= schemaVersion(db)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
    applied.push(m.version);
  }
  return applied;
}
