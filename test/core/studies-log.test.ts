/** A study the runner cannot resume fails saying why, and the error behind it is in the core log. */
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/core/app';
import { CORE_LOG_FILE } from '../../src/core/log';
import { tempDir } from '../helpers/tmp';

const t = tempDir();
afterAll(() => t.cleanup());

const logLines = (): Record<string, unknown>[] => {
  const file = join(t.dir, 'logs', CORE_LOG_FILE);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
};

describe('study runner errors', () => {
  it('are logged with the study they belong to', async () => {
    // A store with the current schema, then a running study whose stored spec this version cannot read.
    await (await createApp({ dataDir: t.dir, scheduler: false })).close();
    const db = new Database(join(t.dir, 'trainyard.db'));
    const now = Date.now();
    db.prepare(
      `INSERT INTO studies (id, name, status, spec, train, priority, pending, importance, created_at, finished_at, updated_at, failure_reason)
       VALUES ('study-unreadable', 'unreadable', 'running', '{}', '{}', 'normal', '[]', NULL, ?, NULL, ?, NULL)`,
    ).run(now, now);
    db.close();

    const app = await createApp({ dataDir: t.dir, scheduler: true });
    try {
      // The runner has finished resuming once the study no longer shows running (read from the file: the API cannot read this study).
      const reader = new Database(join(t.dir, 'trainyard.db'), { readonly: true });
      let status = 'running';
      for (let i = 0; i < 400 && status === 'running'; i++) {
        status = (reader.prepare(`SELECT status FROM studies WHERE id = 'study-unreadable'`).get() as { status: string }).status;
        if (status === 'running') await new Promise((r) => setTimeout(r, 50));
      }
      reader.close();
      expect(status).toBe('failed');
      const logged = logLines().filter((l) => l.scope === 'studies' && l.level === 'error');
      expect(logged).toHaveLength(1);
      expect(logged[0]).toMatchObject({ studyId: 'study-unreadable' });
      expect(String(logged[0].message)).toMatch(/could not be resumed/);
      expect(JSON.stringify(logged[0].error)).toMatch(/message/);
    } finally {
      await app.close();
    }
  });
});
