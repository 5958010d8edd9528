import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { tempDir } from '../../../test/helpers/tmp';
import { dataPaths } from '../paths';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { BUCKET_WIDTHS, MIGRATIONS, bucketOf, migrate, openStore, RunRepository, storable, type MetricRow, type Store } from '../store';
import { SeriesStore } from './series';

let t: ReturnType<typeof tempDir>;
let store: Store;
beforeEach(() => {
  t = tempDir();
  store = openStore(dataPaths(t.dir).db);
  store.raw.exec("INSERT INTO experiments VALUES ('e', 'Default', 1)");
});
afterEach(async () => {
  await store.close();
  t.cleanup();
});

const addRun = (id: string) => store.raw.prepare("INSERT INTO runs (id, experiment_id, status, model, created_at) VALUES (?, 'e', 'running', 'mlp', 1)").run(id);

/** Irregular series: gaps in steps, repeated steps, points written out of order, spikes. */
function randomSeries(rand: () => number, runId: string): MetricRow[] {
  const n = Math.floor(rand() * 3000);
  const rows: MetricRow[] = [];
  let step = Math.floor(rand() * 100);
  let v = 0;
  for (let i = 0; i < n; i++) {
    step += rand() < 0.1 ? 0 : rand() < 0.05 ? Math.floor(rand() * 500) : 1;
    v += rand() - 0.5;
    rows.push({ runId, key: 'loss', step, ts: 1000 + i, value: rand() < 0.002 ? v * 1000 : v });
  }
  // Shuffle a little: a batch is not guaranteed to arrive in step order.
  for (let i = 0; i < n / 20; i++) {
    const a = Math.floor(rand() * n);
    const b = Math.floor(rand() * n);
    [rows[a], rows[b]] = [rows[b], rows[a]];
  }
  return rows;
}

/** A long random walk, one point per step from a random start, with spikes; unique times. */
function longSeries(rand: () => number, runId: string, n: number): MetricRow[] {
  const rows: MetricRow[] = [];
  let step = Math.floor(rand() * 1000);
  let v = 0;
  for (let i = 0; i < n; i++) {
    step += rand() < 0.01 ? Math.floor(rand() * 2000) : 1;
    v += rand() - 0.5;
    rows.push({ runId, key: 'loss', step, ts: 1000 + i, value: rand() < 0.001 ? v * 100 : v });
  }
  return rows;
}

/** A new run with a long random series, written in batches of `batch` points. */
function writtenSeries(series: SeriesStore, rand: () => number, runId: string, n: number, batch: number): MetricRow[] {
  addRun(runId);
  const rows = longSeries(rand, runId, n);
  for (let i = 0; i < rows.length; i += batch) series.write(rows.slice(i, i + batch));
  return rows;
}

/** Every point returned is a stored point, and they come in (step, time) order. */
function expectOrderedRealPoints(points: { step: number; ts: number; value: number }[], rows: MetricRow[], where: string) {
  const stored = new Set(rows.map((r) => `${r.step}:${r.ts}:${r.value}`));
  for (const p of points) expect(stored.has(`${p.step}:${p.ts}:${p.value}`), `${where}: ${JSON.stringify(p)} is not a stored point`).toBe(true);
  for (let i = 1; i < points.length; i++) {
    const ok = points[i].step > points[i - 1].step || (points[i].step === points[i - 1].step && points[i].ts >= points[i - 1].ts);
    expect(ok, `${where}: out of order at ${i}`).toBe(true);
  }
}

function bucketsOf(runId: string) {
  return store.raw.prepare('SELECT key, width, bucket, n, first_step, first_ts, first_value, last_step, last_ts, last_value, min_value, max_value FROM metric_buckets WHERE run_id = ? ORDER BY key, width, bucket').all(runId);
}

/** The buckets recomputed from scratch in JS: count, first and last by (step, time), lowest and highest value. */
function bruteForceBuckets(rows: MetricRow[]) {
  const out: Record<string, unknown>[] = [];
  const keys = [...new Set(rows.map((r) => r.key))].sort();
  for (const key of keys) {
    for (const width of BUCKET_WIDTHS) {
      const groups = new Map<number, MetricRow[]>();
      for (const r of rows) {
        if (r.key !== key) continue;
        const b = bucketOf(r.step, width);
        const g = groups.get(b);
        if (g) g.push(r);
        else groups.set(b, [r]);
      }
      for (const bucket of [...groups.keys()].sort((a, b) => a - b)) {
        const g = groups.get(bucket)!.sort((a, b) => a.step - b.step || a.ts - b.ts);
        const first = g[0];
        const last = g[g.length - 1];
        out.push({
          key, width, bucket, n: g.length,
          first_step: first.step, first_ts: first.ts, first_value: first.value,
          last_step: last.step, last_ts: last.ts, last_value: last.value,
          min_value: Math.min(...g.map((r) => r.value)), max_value: Math.max(...g.map((r) => r.value)),
        });
      }
    }
  }
  return out;
}

describe('series store', () => {
  it('reads hold the cap and keep first, last, minimum and maximum (many random series, every level)', () => {
    const series = new SeriesStore(store.raw);
    for (let seed = 1; seed <= 120; seed++) {
      const rand = prng(seed);
      const runId = `run-${seed}`;
      addRun(runId);
      const rows = randomSeries(rand, runId);
      for (let i = 0; i < rows.length; i += 250) series.write(rows.slice(i, i + 250));
      const maxPoints = 10 + Math.floor(rand() * 400);
      const ordered = [...rows].sort((a, b) => a.step - b.step || a.ts - b.ts);
      const where = `seed ${seed}, ${rows.length} points, maxPoints ${maxPoints}`;
      const { points, total } = series.read(runId, 'loss', maxPoints);
      expect(total, where).toBe(rows.length);
      expect(points.length, where).toBeLessThanOrEqual(maxPoints);
      if (rows.length === 0) {
        expect(points, where).toEqual([]);
        continue;
      }
      if (rows.length <= maxPoints) expect(points.length, where).toBe(rows.length);
      expect(points[0], where).toEqual({ step: ordered[0].step, ts: ordered[0].ts, value: ordered[0].value });
      const last = ordered[ordered.length - 1];
      expect(points[points.length - 1], where).toEqual({ step: last.step, ts: last.ts, value: last.value });
      const values = rows.map((r) => r.value);
      expect(Math.min(...points.map((p) => p.value)), where).toBe(Math.min(...values));
      expect(Math.max(...points.map((p) => p.value)), where).toBe(Math.max(...values));
      expectOrderedRealPoints(points, rows, where);
    }
  });

  it('summaries over random windows, at every level, equal a brute-force count, first, last, minimum and maximum of the points', () => {
    const series = new SeriesStore(store.raw);
    let checked = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const rand = prng(1000 + seed);
      const runId = `w-${seed}`;
      // Batches that split buckets: a bucket gets its points from several writes.
      const rows = writtenSeries(series, rand, runId, 2000 + Math.floor(rand() * 15000), 777);
      const lo = Math.min(...rows.map((r) => r.step));
      const hi = Math.max(...rows.map((r) => r.step));
      for (let w = 0; w < 10; w++) {
        const from = lo - 50 + Math.floor(rand() * (hi - lo + 100));
        const to = from + Math.floor(rand() * (hi - from + 100));
        const inWindow = rows.filter((r) => r.step >= from && r.step <= to).sort((a, b) => a.step - b.step || a.ts - b.ts);
        for (let level = -1; level < BUCKET_WIDTHS.length; level++) {
          const where = `seed ${seed}, window [${from}, ${to}], level ${level}`;
          const cells = series.reader.cover(runId, 'loss', from, to, level);
          expect(cells.reduce((n, c) => n + c.n, 0), where).toBe(inWindow.length);
          if (inWindow.length === 0) continue;
          checked++;
          const point = (r: MetricRow) => ({ step: r.step, ts: r.ts, value: r.value });
          expect(cells[0].first, where).toEqual(point(inWindow[0]));
          expect(cells[cells.length - 1].last, where).toEqual(point(inWindow[inWindow.length - 1]));
          expect(Math.min(...cells.map((c) => c.min.value)), where).toBe(Math.min(...inWindow.map((r) => r.value)));
          expect(Math.max(...cells.map((c) => c.max.value)), where).toBe(Math.max(...inWindow.map((r) => r.value)));
          // Cells are in step order and do not overlap.
          for (let i = 1; i < cells.length; i++) expect(cells[i].first.step, where).toBeGreaterThanOrEqual(cells[i - 1].last.step);
        }
        // The chart read of the window: exact at its edges and extremes, at most maxPoints points.
        const { points } = series.read(runId, 'loss', 200, { from, to });
        if (inWindow.length === 0) {
          expect(points).toEqual([]);
          continue;
        }
        const where = `seed ${seed}, window [${from}, ${to}]`;
        expect(points.length, where).toBeLessThanOrEqual(200);
        expect(points[0], where).toEqual({ step: inWindow[0].step, ts: inWindow[0].ts, value: inWindow[0].value });
        const last = inWindow[inWindow.length - 1];
        expect(points[points.length - 1], where).toEqual({ step: last.step, ts: last.ts, value: last.value });
        expect(Math.min(...points.map((p) => p.value)), where).toBe(Math.min(...inWindow.map((r) => r.value)));
        expect(Math.max(...points.map((p) => p.value)), where).toBe(Math.max(...inWindow.map((r) => r.value)));
        expectOrderedRealPoints(points, inWindow, where);
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  it('the migration fills the buckets of points stored before it', () => {
    const db = new Database(join(t.dir, 'old.db'));
    try {
      migrate(db, MIGRATIONS.filter((m) => m.name !== 'metric-summaries'));
      db.exec("INSERT INTO experiments VALUES ('e', 'Default', 1); INSERT INTO runs (id, experiment_id, status, model, created_at) VALUES ('old', 'e', 'completed', 'mlp', 1)");
      const rows = longSeries(prng(99), 'old', 20_000);
      const insert = db.prepare('INSERT INTO metrics (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)');
      db.transaction(() => rows.forEach((r) => insert.run(r.runId, r.key, r.step, r.ts, r.value)))();
      migrate(db);
      const buckets = db.prepare('SELECT key, width, bucket, n, first_step, first_ts, first_value, last_step, last_ts, last_value, min_value, max_value FROM metric_buckets WHERE run_id = ? ORDER BY key, width, bucket').all('old');
      expect(buckets).toEqual(bruteForceBuckets(rows));
    } finally {
      db.close();
    }
  });

  it('a zoomed window comes back with finer points than the whole series', () => {
    const series = new SeriesStore(store.raw);
    addRun('z');
    const rows = Array.from({ length: 200_000 }, (_, i): MetricRow => ({ runId: 'z', key: 'loss', step: i, ts: i, value: Math.sin(i / 100) }));
    for (let i = 0; i < rows.length; i += 5000) series.write(rows.slice(i, i + 5000));
    const whole = series.read('z', 'loss', 500);
    const zoomed = series.read('z', 'loss', 500, { from: 100_000, to: 110_000 });
    const spacing = (ps: { step: number }[]) => (ps[ps.length - 1].step - ps[0].step) / ps.length;
    expect(zoomed.points.every((p) => p.step >= 100_000 && p.step <= 110_000)).toBe(true);
    expect(zoomed.points.length).toBeGreaterThan(400);
    expect(spacing(zoomed.points)).toBeLessThan(spacing(whole.points) / 10);
  });

  it('a series that starts over from a checkpoint step keeps its summaries right (the resumed run rewrites its points)', async () => {
    const series = new SeriesStore(store.raw);
    for (let seed = 1; seed <= 8; seed++) {
      const rand = prng(5000 + seed);
      const runId = `r-${seed}`;
      const before = writtenSeries(series, rand, runId, 5000 + Math.floor(rand() * 20000), 1000);
      const hi = Math.max(...before.map((r) => r.step));
      const restart = Math.floor(rand() * hi);
      // The new start re-reports from its checkpoint's step, with other values, as the reporter writes it.
      const after = longSeries(rand, runId, 3000).map((r, i) => ({ ...r, step: restart + r.step, ts: 10_000_000 + i }));
      await store.db.transaction().execute(async (trx) => {
        const runs = new RunRepository(trx);
        await runs.supersedeFrom(runId, 'loss', restart);
        await runs.addMetrics(after);
      });
      const stored = [...before.filter((r) => r.step < restart), ...after];
      expect(bucketsOf(runId), `seed ${seed}, restart at ${restart}`).toEqual(bruteForceBuckets(stored));
    }
  });
  it('the queue reporter path (repository in a transaction) keeps the same summary as the fast path', async () => {
    const fast = new SeriesStore(store.raw);
    for (let seed = 1; seed <= 30; seed++) {
      const rand = prng(seed);
      addRun(`a${seed}`);
      addRun(`b${seed}`);
      // A few NaN and infinite points: both paths must leave out and clamp the same ones.
      const rows = randomSeries(rand, `a${seed}`).map((r) => (rand() < 0.01 ? { ...r, value: [Number.NaN, Infinity, -Infinity][Math.floor(rand() * 3)] } : r));
      // Several batches, as a reporter flushes them.
      for (let i = 0; i < rows.length; i += 97) {
        const batch = rows.slice(i, i + 97);
        fast.write(batch);
        await store.db.transaction().execute((trx) => new RunRepository(trx).addMetrics(batch.map((r) => ({ ...r, runId: `b${seed}` }))));
      }
      const summary = (runId: string) => store.raw.prepare('SELECT key, step, ts, value FROM metric_summary WHERE run_id = ?').all(runId);
      expect(summary(`b${seed}`), `seed ${seed}`).toEqual(summary(`a${seed}`));
      const history = (runId: string) => store.raw.prepare('SELECT key, step, ts, value FROM metrics WHERE run_id = ? ORDER BY rowid').all(runId);
      expect(history(`b${seed}`), `seed ${seed}`).toEqual(history(`a${seed}`));
      expect(bucketsOf(`b${seed}`), `seed ${seed}`).toEqual(bucketsOf(`a${seed}`));
      expect(bucketsOf(`a${seed}`), `seed ${seed}`).toEqual(bruteForceBuckets(storable(rows)));
    }
  });
});
