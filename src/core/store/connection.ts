/**
 * Opens the one SQLite file of a data directory. Only the core process opens it (workers report
 * through the pool), so there is one writer and never "database is locked".
 */
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { dirname } from 'node:path';
import { DiskReserve, asDiskFull, isDiskFull } from './disk-full';
import type { DB } from './schema';
import { assertNotNewer, migrate } from './migrate';

export interface Store {
  db: Kysely<DB>;
  /** The raw handle, for pragmas and the few hot paths that want prepared statements. */
  raw: Database.Database;
  file: string;
  /** The better-sqlite3 binary this store loaded, for any thread that opens its own connection to the same file. */
  nativeBinding: string | undefined;
  /** Space held back for recording failures on a full disk (see disk-full.ts). */
  reserve: DiskReserve;
  close(): Promise<void>;
}

export interface StoreOptions {
  /**
   * The better-sqlite3 binary to load instead of node_modules' own: the desktop app passes one built
   * for Electron's ABI (the Node build would not load there).
   */
  nativeBinding?: string;
}

export function openStore(file: string, opts: StoreOptions = {}): Store {
  const raw = new Database(file, opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {});
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
  const dir = dirname(file);
  const reserve = new DiskReserve(dir);
  reserve.keep();
  const onFull = (err: unknown): unknown => {
    // The first full-disk error frees the reserve, so the writes that record what failed still fit.
    if (isDiskFull(err)) reserve.release();
    return asDiskFull(err, dir);
  };
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(raw, onFull) }) });
  let closed = false;
  return {
    db,
    raw,
    file,
    nativeBinding: opts.nativeBinding,
    reserve,
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
function withStatementCache(raw: Database.Database, onError: (err: unknown) => unknown, max = 500) {
  const cache = new Map<string, GuardedStatement>();
  return {
    close: () => raw.close(),
    prepare(sql: string): GuardedStatement {
      // SQLite rolls a transaction back itself when a write inside it fails on a full disk; kysely's
      // own ROLLBACK would then fail with "no transaction is active" and hide the real cause.
      if (sql === 'rollback' && !raw.inTransaction) return NO_OP;
      let stmt = cache.get(sql);
      if (stmt) {
        // Refresh its place: the map's order is the eviction order.
        cache.delete(sql);
      } else {
        stmt = guarded(raw.prepare(sql), onError);
        if (cache.size >= max) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

/** What kysely calls on a statement, with errors passed through `onError` (a full disk becomes one clear error). */
interface GuardedStatement {
  readonly reader: boolean;
  all(params: readonly unknown[]): unknown[];
  run(params: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(params: readonly unknown[]): IterableIterator<unknown>;
}

const NO_OP: GuardedStatement = {
  reader: false,
  all: () => [],
  run: () => ({ changes: 0, lastInsertRowid: 0 }),
  iterate: () => [][Symbol.iterator](),
};

function guarded(stmt: Database.Statement, onError: (err: unknown) => unknown): GuardedStatement {
  const call = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      throw onError(err);
    }
  };
  return {
    reader: stmt.reader,
    all: (params) => call(() => stmt.all(params)),
    run: (params) => call(() => stmt.run(params)),
    iterate: (params) => call(() => stmt.iterate(params)),
  };
}
