/**
 * The hot write path of metric series, on prepared statements over the store's raw handle: a batch
 * of points, each series' latest-point summary and its multi-resolution buckets (see the store's
 * metric-buckets), in one transaction. Reads go through ./series-read.ts.
 */
import type Database from 'better-sqlite3';
import type { MetricPoint } from '../../shared/contract';
import { bucketValues, storable, summarise, UPSERT_BUCKET_SQL, type MetricRow } from '../store';
import { SeriesReader, type StepWindow } from './series-read';

export class SeriesStore {
  private readonly insertPoint: Database.Statement;
  private readonly upsertSummary: Database.Statement;
  private readonly upsertBucket: Database.Statement;
  private readonly writeBatch: (points: readonly MetricRow[]) => void;
  private readonly pinSummary: Database.Statement;
  readonly reader: SeriesReader;

  constructor(private readonly raw: Database.Database) {
    this.insertPoint = raw.prepare('INSERT INTO metrics (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)');
    this.upsertSummary = raw.prepare(`
      INSERT INTO metric_summary (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, ts = excluded.ts, value = excluded.value
      WHERE excluded.step > metric_summary.step OR (excluded.step = metric_summary.step AND excluded.ts >= metric_summary.ts)`);
    this.upsertBucket = raw.prepare(UPSERT_BUCKET_SQL);
    // Nested in an open transaction, better-sqlite3 makes this a savepoint of it.
    this.writeBatch = raw.transaction((points: readonly MetricRow[]) => {
      for (const p of points) this.insertPoint.run(p.runId, p.key, p.step, p.ts, p.value);
      const { latest, buckets } = summarise(points);
      for (const p of latest) this.upsertSummary.run(p.runId, p.key, p.step, p.ts, p.value);
      for (const a of buckets) this.upsertBucket.run(bucketValues(a));
    });
    this.pinSummary = raw.prepare(`
      INSERT INTO metric_summary (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (run_id, key) DO UPDATE SET step = excluded.step, ts = excluded.ts, value = excluded.value`);
    this.reader = new SeriesReader(raw);
  }

  /** Appends points and updates each series' summary and buckets, in one transaction. */
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

  /** The window of the series in order (step, then time), at most `maxPoints` points, extremes kept. */
  read(runId: string, key: string, maxPoints: number, window: StepWindow = {}): { points: MetricPoint[]; total: number } {
    return this.reader.read(runId, key, maxPoints, window);
  }
}
