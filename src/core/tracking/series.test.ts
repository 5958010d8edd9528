import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { tempDir } from '../../../test/helpers/tmp';
import { dataPaths } from '../paths';
import { openStore, RunRepository, type MetricRow, type Store } from '../store';
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

describe('series store', () => {
  it('bucketed reads inside SQLite hold the cap and keep first, last, minimum and maximum (many random series)', () => {
    // inMemoryMax 0 sends every series longer than maxPoints through the SQL path; the other reader
    // downsamples every series in JS, for comparison.
    const sql = new SeriesStore(store.raw, { inMemoryMax: 0 });
    const js = new SeriesStore(store.raw, { inMemoryMax: Number.MAX_SAFE_INTEGER });
    for (let seed = 1; seed <= 120; seed++) {
      const rand = prng(seed);
      const runId = `run-${seed}`;
      addRun(runId);
      const rows = randomSeries(rand, runId);
      sql.write(rows);
      const maxPoints = 10 + Math.floor(rand() * 400);
      const ordered = [...rows].sort((a, b) => a.step - b.step || a.ts - b.ts);
      for (const [name, reader] of [['sql', sql], ['js', js]] as const) {
        const where = `${name}, seed ${seed}, ${rows.length} points, maxPoints ${maxPoints}`;
        const { points, total } = reader.read(runId, 'loss', maxPoints);
        expect(total, where).toBe(rows.length);
        expect(points.length, where).toBeLessThanOrEqual(Math.max(maxPoints, 0));
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
        for (let i = 1; i < points.length; i++) {
          const ok = points[i].step > points[i - 1].step || (points[i].step === points[i - 1].step && points[i].ts >= points[i - 1].ts);
          expect(ok, `${where}: out of order at ${i}`).toBe(true);
        }
      }
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
    }
  });
});
