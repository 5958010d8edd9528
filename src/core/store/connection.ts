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
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
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

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing costs about
 * as much as running a small query. Queries built by the same code have the same SQL text (values are
 * bound parameters), so a bounded cache keyed by that text removes most of the cost on hot paths (the
 * queue's writes, metric batches).
 */
function withStatementCache(raw: Database.Database, max = 500) {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string): Database.Statement {
      let stmt = cache.get(sql);
      if (stmt) {
        // Refresh its place: the map's order is the eviction order.
        cache.delete(sql);
      } else {
        stmt = raw.prepare(sql);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}
