/**
 * 24 h of monitor history in SQLite, downsampled and bounded. Each range has its own resolution, a
 * ring of `SLOTS` fixed buckets (see migration 007): a sample is added to the open bucket of every
 * resolution in memory, and a bucket is written once, when the next one opens (and at close), so
 * the database sees one small write per bucket width, never one per sample. Reading a range returns
 * its written buckets from the last range, plus the open one.
 */
import type Database from 'better-sqlite3';
import type { MonitorHistory, MonitorRange } from '../../shared/contract';
import type { SeriesValues } from '../../shared/monitor-series';

/** Buckets per resolution: enough points for a chart as wide as a screen, few enough to read in a blink. */
export const SLOTS = 360;

export const RESOLUTIONS: Record<MonitorRange, { rangeMs: number; bucketMs: number }> = {
  '1h': { rangeMs: 3_600_000, bucketMs: 3_600_000 / SLOTS },
  '6h': { rangeMs: 6 * 3_600_000, bucketMs: (6 * 3_600_000) / SLOTS },
  '24h': { rangeMs: 24 * 3_600_000, bucketMs: (24 * 3_600_000) / SLOTS },
};

const RANGES = Object.keys(RESOLUTIONS) as MonitorRange[];


interface OpenBucket {
  start: number;
  samples: number;
  /** Sum and count per series: a series missing from some samples is the mean of those it has. */
  sums: Map<string, { sum: number; n: number }>;
}

export class MonitorHistoryStore {
  private readonly open = new Map<MonitorRange, OpenBucket>();
  private readonly upsert: Database.Statement;
  private readonly select: Database.Statement;
  private readonly selectSlot: Database.Statement;

  constructor(private readonly db: Database.Database) {
    this.upsert = db.prepare(
      `INSERT INTO monitor_history (resolution, slot, bucket_start, samples, series) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (resolution, slot) DO UPDATE SET bucket_start = excluded.bucket_start, samples = excluded.samples, series = excluded.series`,
    );
    this.select = db.prepare('SELECT bucket_start, series FROM monitor_history WHERE resolution = ? AND bucket_start > ? AND bucket_start <= ? ORDER BY bucket_start');
    this.selectSlot = db.prepare('SELECT samples, series FROM monitor_history WHERE resolution = ? AND slot = ? AND bucket_start = ?');
  }

  /** Adds one sample taken at `ts` to every resolution's open bucket, writing any bucket it closes. */
  add(ts: number, values: SeriesValues): void {
    const closed: [MonitorRange, OpenBucket][] = [];
    for (const range of RANGES) {
      const start = bucketStart(ts, range);
      let bucket = this.open.get(range);
      if (bucket && bucket.start !== start) {
        closed.push([range, bucket]);
        bucket = undefined;
      }
      if (!bucket) this.open.set(range, (bucket = this.reopen(range, start)));
      bucket.samples++;
      for (const [key, v] of Object.entries(values)) {
        if (v === null || !Number.isFinite(v)) continue;
        const s = bucket.sums.get(key);
        if (s) {
          s.sum += v;
          s.n++;
        } else bucket.sums.set(key, { sum: v, n: 1 });
      }
    }
    if (closed.length > 0) this.write(closed);
  }

  /** Writes the open buckets (the core is closing); they stay open for more samples. */
  flush(): void {
    this.write([...this.open.entries()]);
  }

  /** The last `range` of history, as chart columns, ending at `now`. */
  read(range: MonitorRange, now = Date.now()): MonitorHistory {
    const { rangeMs, bucketMs } = RESOLUTIONS[range];
    const rows = this.select.all(range, now - rangeMs, now) as { bucket_start: number; series: string }[];
    const points = new Map<number, Record<string, number>>();
    for (const r of rows) points.set(r.bucket_start, JSON.parse(r.series) as Record<string, number>);
    const current = this.open.get(range);
    if (current && current.start > now - rangeMs && current.start <= now) points.set(current.start, means(current));
    const ts = [...points.keys()].sort((a, b) => a - b);
    const names = [...new Set([...points.values()].flatMap((p) => Object.keys(p)))].sort();
    const series: Record<string, (number | null)[]> = {};
    for (const name of names) series[name] = ts.map((t) => points.get(t)?.[name] ?? null);
    return { range, bucketMs, ts, series };
  }

  /**
   * A new open bucket, or, where a previous core wrote this same bucket before it stopped (a restart
   * within the bucket's width), that one carried on, so the restart does not halve its samples.
   */
  private reopen(range: MonitorRange, start: number): OpenBucket {
    const row = this.selectSlot.get(range, slotOf(range, start), start) as { samples: number; series: string } | undefined;
    const bucket: OpenBucket = { start, samples: 0, sums: new Map() };
    if (!row) return bucket;
    bucket.samples = row.samples;
    // Stored means are weighed by the bucket's sample count: a series missing from some samples counts a little too much, which a chart cannot show.
    for (const [key, mean] of Object.entries(JSON.parse(row.series) as Record<string, number>)) bucket.sums.set(key, { sum: mean * row.samples, n: row.samples });
    return bucket;
  }

  private write(buckets: [MonitorRange, OpenBucket][]): void {
    const tx = this.db.transaction(() => {
      for (const [range, b] of buckets) {
        if (b.samples === 0) continue;
        this.upsert.run(range, slotOf(range, b.start), b.start, b.samples, JSON.stringify(means(b)));
      }
    });
    tx();
  }
}

const slotOf = (range: MonitorRange, start: number) => Math.floor(start / RESOLUTIONS[range].bucketMs) % SLOTS;

function bucketStart(ts: number, range: MonitorRange): number {
  const { bucketMs } = RESOLUTIONS[range];
  return Math.floor(ts / bucketMs) * bucketMs;
}

/** A bucket's means, rounded to what a chart can show (keeps the stored JSON small). */
function means(b: OpenBucket): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, { sum, n }] of b.sums) out[key] = Math.round((sum / n) * 100) / 100;
  return out;
}
