/**
 * Opens the one SQLite file of a data directory. Only the core process opens it (workers report
 * through the pool), so there is one writer and never "database is locked".
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { DB } from './schema';
import { assertNotNewer, migrate } from './migrate';

export interface Store {
  db: Kysely<DB>;
  /** The raw handle, for pragmas and the few hot paths that want prepared statements. */
  raw: Database.Database;
  file: string;
  close(): Promise<void>;
}

export function openStore(file: string): Store {
  const raw = new Database(file);
  try {
    // Checked before any pragma that writes: a newer schema's file must stay byte-for-byte as it was.
    assertNotNewer(raw, file);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('busy_timeout = 5000');
    migrate(raw);
  } catch (err) {
    raw.close();
    throw err;
  }
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: raw }) });
  let closed = false;
  return {
    db,
    raw,
    file,
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      // kysely closes the handle only if it ever ran a query through it.
      if (raw.open) raw.close();
    },
  };
}
