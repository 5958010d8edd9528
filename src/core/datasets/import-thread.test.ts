import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { largeCsv } from '../../../test/helpers/large-csv';
import { mountTmpfs } from '../../../test/helpers/tmpfs';
import { tempDir } from '../../../test/helpers/tmp';
import { createApp, type CoreApp } from '../app';
import { analyzeTable, readTable } from '../data';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function app(): Promise<{ core: CoreApp; dir: string }> {
  const t = tempDir();
  const core = await createApp({ dataDir: t.dir });
  cleanups.push(t.cleanup, () => core.close());
  return { core, dir: t.dir };
}

/**
 * Runs `work` and, from a timer, another call: a timer fires only when the event loop is free, so
 * with `work`'s parse on the main thread the other call would wait for all of it. Returns `work`'s
 * result and the order both finished in.
 */
async function beside<T>(core: CoreApp, work: () => Promise<T>): Promise<{ result: T; order: string[] }> {
  const order: string[] = [];
  const working = work().then((r) => {
    order.push('work');
    return r;
  });
  const other = new Promise<void>((resolve, reject) => {
    setTimeout(() => {
      core.api.jobs.list({ limit: 10 }).then(() => {
        order.push('jobs.list');
        resolve();
      }, reject);
    }, 0);
  });
  const [result] = await Promise.all([working, other]);
  return { result, order };
}

describe('dataset import off the main thread', () => {
  it('answers another call while a large CSV is imported, in a thread whose heap is capped below the whole table', async () => {
    const { core, dir } = await app();
    const path = join(dir, 'large.csv');
    const rows = await largeCsv(path, 60);
    await core.api.jobs.list({ limit: 10 }); // warm: the first call may load modules

    const { result: d, order } = await beside(core, () => core.api.datasets.import({ source: { kind: 'path', path } }));
    expect(order).toEqual(['jobs.list', 'work']);
    expect(d.rows).toBe(rows);
    expect(d.columns.map((c) => c.name)).toEqual(['time', 'load', 'temperature', 'label']);
  }, 120_000);

  it('records what an import on the main thread recorded: rows, columns and their statistics', async () => {
    const { core } = await app();
    const file = 'seattle-weather-hourly-normals.csv';
    const bytes = readFileSync(new URL(`../../../resources/datasets/${file}`, import.meta.url));
    const expected = analyzeTable(await readTable(bytes, file));
    const d = await core.api.datasets.import({ source: { kind: 'sample', file } });
    expect({ rows: d.rows, columns: d.columns, timeColumn: d.timeColumn }).toEqual(expected);
  });

  it('ends an import whose copy finds the disk full with the cause, leaving no partial copy', async (ctx) => {
    const mount = mountTmpfs('4m');
    if (typeof mount === 'string') {
      ctx.skip(true, mount);
      return;
    }
    // Lazy unmount: after a write hit the full disk, logs/core.log stays open past core.close() (the core log's
    // own matter, seen here), and a plain umount would then fail on EBUSY.
    cleanups.push(() => {
      spawnSync('umount', ['-l', mount.path]);
      mount.unmount();
    });
    const src = tempDir();
    cleanups.push(src.cleanup);
    const path = join(src.dir, 'big.csv');
    await largeCsv(path, 12);
    const core = await createApp({ dataDir: mount.path, systemSampleMs: 0 });
    cleanups.push(() => core.close());
    const err = await core.api.datasets.import({ source: { kind: 'path', path } }).then(() => null, (e: unknown) => e);
    expect((err as Error).message).toMatch(/ENOSPC/);
    expect(readdirSync(join(mount.path, 'datasets'))).toEqual([]);
    expect(await core.api.datasets.list({})).toEqual([]);
  }, 60_000);

  it("reads a large dataset's preview and profile in a thread, once for both, while other calls answer", async () => {
    const { core, dir } = await app();
    const path = join(dir, 'large.csv');
    const rows = await largeCsv(path, 30);
    const d = await core.api.datasets.import({ source: { kind: 'path', path } });
    // As the Datasets view asks: the preview and the profile together.
    const { result: [preview, profile], order } = await beside(core, () =>
      Promise.all([core.api.datasets.preview({ id: d.id, limit: 5 }), core.api.datasets.profile({ id: d.id, points: 60 })]),
    );
    expect(order).toEqual(['jobs.list', 'work']);
    expect(preview.columns).toEqual(['time', 'load', 'temperature', 'label']);
    expect(preview.rows).toHaveLength(5);
    expect(preview.rows[1]).toEqual(['2000-01-01T01:00:00.000Z', Number((100 + Math.sin(1 / 24) * 10).toFixed(4)), 1 / 3, 0]);
    const load = profile.columns.find((c) => c.name === 'load');
    expect(load?.values).toHaveLength(60);
    expect(rows).toBeGreaterThan(60);
    // The view is kept: with the stored copy gone, a longer preview and the same profile still answer from it.
    rmSync(join(dir, 'datasets', `${d.id}.csv`));
    expect((await core.api.datasets.preview({ id: d.id, limit: 20 })).rows[19][2]).toBe(19 / 3);
    expect(await core.api.datasets.profile({ id: d.id, points: 60 })).toEqual(profile);
    // Another width is a new read, which now fails with its cause.
    const err = await core.api.datasets.profile({ id: d.id, points: 30 }).then(() => null, (e: unknown) => e as Error);
    expect(err?.message).toMatch(/ENOENT/);
  }, 120_000);
});
