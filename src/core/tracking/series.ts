/**
 * The hot paths of metric series, on prepared statements over the store's raw handle: batch writes
 * (points plus each series' summary, one transaction) and downsampled reads of long series.
 *
 * A series up to IN_MEMORY_MAX points is read whole and downsampled in JS (./downsample). A longer
 * one is downsampled inside SQLite: its step range is cut into buckets and each bucket's lowest and
 * highest point come back from a range scan of the covering (run_id, key, step, ts, value) index,
 * so a chart of a million-point series moves about a thousand rows out of SQLite, not a million.
 * First and last points are added; the global extremes are each their bucket's extreme.
 */
import type Database from 'better-sqlite3';
import type { MetricPoint } from '../../shared/contract';
import { latestPerSeries, storable, type MetricRow } from '../store';
import { downsample } from './downsample';

/**
 * Up to this many points a series is read whole and bucketed by position in JS (even buckets
 * whatever the steps look like); longer ones are bucketed by step range inside SQLite.
 */
export const IN_MEMORY_MAX = 20_000;

type Row = MetricPoint & { id: number };

export class SeriesStore {
  private readonly insertPoint: Database.Statement;
  private readonly upsertSummary: Database.Statement;
  private readonly writeBatch: (points: readonly MetricRow[]) => void;
  private readonly pinSummary: Database.Statement;
  private readonly range: Database.Statement;
  private readonly all: Database.Statement;
  private readonly first: Database.Statement;
  private readonly last: Database.Statement;
  private readonly bucketMin: Database.Statement;
  private readonly bucketMax: Database.Statement;

  private readonly inMemoryMax: number;

  constructor(
    private readonly raw: Database.Database,
    opts: { inMemoryMax?: number } = {},
  ) {
    this.inMemoryMax = opts.inMemoryMax ?? IN_MEMORY_MAX;
    this.insertPoint = raw.prepare('INSERT INTO metrics (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)');
    this.upsertSummary = raw.prepare(`
      INSERT INTO metric_summary (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, ts = excluded.ts, value = excluded.value
      WHERE excluded.step > metric_summary.step OR (excluded.step = metric_summary.step AND excluded.ts >= metric_summary.ts)`);
    // Nested in an open transaction, better-sqlite3 makes this a savepoint of it.
    this.writeBatch = raw.transaction((points: readonly MetricRow[]) => {
      for (const p of points) this.insertPoint.run(p.runId, p.key, p.step, p.ts, p.value);
      for (const p of latestPerSeries(points)) this.upsertSummary.run(p.runId, p.key, p.step, p.ts, p.value);
    });
    this.pinSummary = raw.prepare(`
      INSERT INTO metric_summary (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, ts = excluded.ts, value = excluded.value`);
    const series = 'FROM metrics WHERE run_id = ? AND key = ?';
    this.range = raw.prepare(`SELECT count(*) AS n, min(step) AS lo, max(step) AS hi ${series}`);
    // Ordered as the (run_id, key, step, ts, value) index is, so no read sorts: points sharing a
    // step and a time come in value order.
    this.all = raw.prepare(`SELECT rowid AS id, step, ts, value ${series} ORDER BY step, ts`);
    this.first = raw.prepare(`SELECT rowid AS id, step, ts, value ${series} ORDER BY step, ts LIMIT 1`);
    this.last = raw.prepare(`SELECT rowid AS id, step, ts, value ${series} ORDER BY step DESC, ts DESC LIMIT 1`);
    // SQLite fills the bare columns of a lone min()/max() from the row that holds the extreme.
    this.bucketMin = raw.prepare(`SELECT rowid AS id, step, ts, min(value) AS value ${series} AND step >= ? AND step < ?`);
    this.bucketMax = raw.prepare(`SELECT rowid AS id, step, ts, max(value) AS value ${series} AND step >= ? AND step < ?`);
  }

  /** Appends points and moves each series' summary to its latest point, in one transaction. */
  write(points: readonly MetricRow[]): void {
    const rows = points.every((p) => Number.isFinite(p.value)) ? points : storable(points);
    if (rows.length > 0) this.writeBatch(rows);
  }

  /** Sets each key's summary to the point given, whatever the latest point is (one transaction). */
  setSummary(runId: string, summary: Record<string, { step: number; value: number }>): void {
    const ts = Date.now();
    const rows = storable(Object.entries(summary).map(([key, p]) => ({ runId, key, step: p.step, ts, value: p.value })));
    this.raw.transaction(() => rows.forEach((r) => this.pinSummary.run(r.runId, r.key, r.step, r.ts, r.value)))();
  }

  /** The series in order (step, then time), at most `maxPoints` points, extremes kept. */
  read(runId: string, key: string, maxPoints: number): { points: MetricPoint[]; total: number } {
    const { n: total, lo, hi } = this.range.get(runId, key) as { n: number; lo: number | null; hi: number | null };
    if (total <= maxPoints || total <= this.inMemoryMax || lo === null || hi === null) {
      return { points: downsample(this.all.all(runId, key) as Row[], maxPoints).map(strip), total };
    }
    const buckets = Math.floor((maxPoints - 2) / 2);
    const span = hi - lo + 1;
    const picked = new Map<number, Row>();
    const keep = (r: Row | undefined) => {
      if (r && r.value !== null) picked.set(r.id, r);
    };
    keep(this.first.get(runId, key) as Row);
    keep(this.last.get(runId, key) as Row);
    for (let b = 0; b < buckets; b++) {
      const from = lo + Math.floor((b * span) / buckets);
      const to = b === buckets - 1 ? hi + 1 : lo + Math.floor(((b + 1) * span) / buckets);
      if (from >= to) continue;
      keep(this.bucketMin.get(runId, key, from, to) as Row);
      keep(this.bucketMax.get(runId, key, from, to) as Row);
    }
    const points = [...picked.values()].sort((a, b) => a.step - b.step || a.ts - b.ts || a.value - b.value).map(strip);
    return { points, total };
  }
}

const strip = (r: Row): MetricPoint => ({ step: r.step, ts: r.ts, value: r.value });
