/**
 * Multi-resolution summaries of metric series, kept at write time: for each bucket width in
 * BUCKET_WIDTHS, each series' steps are cut into aligned buckets ([b * width, (b + 1) * width)) and
 * each bucket keeps its point count and its first, last, lowest and highest point. A chart of a
 * million-point series then reads a few thousand bucket rows instead of a million points.
 *
 * Both write paths (the tracking fast path and the reporter's batches) aggregate a batch here in
 * JavaScript and merge it into the table with BUCKET_MERGE, so the rule for "first", "last",
 * "lowest" and "highest" lives in one place. `rebuildBucketsSql` recomputes buckets from the points
 * (the migration's backfill, and a series that starts over from a checkpoint's step).
 */
import type { MetricRow } from './runs';

/** Finest first; each is 16 times the one before, so a read picks a level with 1x-16x the buckets it needs. */
export const BUCKET_WIDTHS = [32, 512, 8192] as const;

export interface BucketPoint {
  step: number;
  ts: number;
  value: number;
}

export interface BucketAggregate {
  runId: string;
  key: string;
  width: number;
  bucket: number;
  n: number;
  first: BucketPoint;
  last: BucketPoint;
  min: BucketPoint;
  max: BucketPoint;
}

/** The table's columns in the order BUCKET_MERGE and `bucketValues` use. */
export const BUCKET_COLUMNS =
  'run_id, key, width, bucket, n, first_step, first_ts, first_value, last_step, last_ts, last_value, min_step, min_ts, min_value, max_step, max_ts, max_value';

/**
 * How a batch's bucket merges into the stored one. SQLite evaluates every SET expression against the
 * stored row, so the conditions compare the stored values with `excluded`. Ties: the first point
 * stays first, a later write of the same (step, ts) becomes last (as the summary's latest point does),
 * and an equal extreme keeps the one already stored.
 */
export const BUCKET_MERGE = `ON CONFLICT (run_id, key, width, bucket) DO UPDATE SET
  n = n + excluded.n,
  ${pick('first', '(excluded.first_step, excluded.first_ts) < (first_step, first_ts)')},
  ${pick('last', '(excluded.last_step, excluded.last_ts) >= (last_step, last_ts)')},
  ${pick('min', 'excluded.min_value < min_value')},
  ${pick('max', 'excluded.max_value > max_value')}`;

function pick(which: string, excludedWins: string): string {
  return ['step', 'ts', 'value'].map((c) => `${which}_${c} = CASE WHEN ${excludedWins} THEN excluded.${which}_${c} ELSE ${which}_${c} END`).join(',\n  ');
}

export const UPSERT_BUCKET_SQL = `INSERT INTO metric_buckets (${BUCKET_COLUMNS}) VALUES (${Array(17).fill('?').join(', ')}) ${BUCKET_MERGE}`;

/** The values of one aggregate in BUCKET_COLUMNS order. */
export function bucketValues(a: BucketAggregate): (string | number)[] {
  return [a.runId, a.key, a.width, a.bucket, a.n, a.first.step, a.first.ts, a.first.value, a.last.step, a.last.ts, a.last.value, a.min.step, a.min.ts, a.min.value, a.max.step, a.max.ts, a.max.value];
}

/** The bucket of `step` at `width`, for negative steps too. */
export const bucketOf = (step: number, width: number) => Math.floor(step / width);

interface SeriesState {
  latest: MetricRow;
  /** The finest bucket last touched, and all of the finest by bucket number, in the order made. */
  current: BucketAggregate | undefined;
  finest: Map<number, BucketAggregate>;
}

/**
 * A batch summarised per series: its latest point (highest step, then latest time; on a tie the
 * later write) and its buckets at every width. Points go into the finest buckets only (series found
 * through a map by run, then by key, with no string built per point; a point usually lands in the
 * bucket its series touched last); each coarser bucket is then merged from the finest ones it holds.
 */
export function summarise(points: readonly MetricRow[]): { latest: MetricRow[]; buckets: BucketAggregate[] } {
  const runs = new Map<string, Map<string, SeriesState>>();
  const all: SeriesState[] = [];
  const width = BUCKET_WIDTHS[0];
  for (const p of points) {
    let byKey = runs.get(p.runId);
    if (!byKey) runs.set(p.runId, (byKey = new Map()));
    let s = byKey.get(p.key);
    if (!s) {
      s = { latest: p, current: undefined, finest: new Map() };
      byKey.set(p.key, s);
      all.push(s);
    } else if (p.step > s.latest.step || (p.step === s.latest.step && p.ts >= s.latest.ts)) {
      s.latest = p;
    }
    const bucket = Math.floor(p.step / width);
    let agg = s.current;
    if (agg === undefined || agg.bucket !== bucket) {
      agg = s.finest.get(bucket);
      if (agg === undefined) {
        agg = { runId: p.runId, key: p.key, width, bucket, n: 0, first: p, last: p, min: p, max: p };
        s.finest.set(bucket, agg);
      }
      s.current = agg;
    }
    if (agg.n++ === 0) continue;
    if (p.step < agg.first.step || (p.step === agg.first.step && p.ts < agg.first.ts)) agg.first = p;
    if (p.step > agg.last.step || (p.step === agg.last.step && p.ts >= agg.last.ts)) agg.last = p;
    if (p.value < agg.min.value) agg.min = p;
    if (p.value > agg.max.value) agg.max = p;
  }
  const buckets: BucketAggregate[] = [];
  for (const s of all) {
    const finest = [...s.finest.values()];
    buckets.push(...finest);
    for (const coarser of BUCKET_WIDTHS.slice(1)) buckets.push(...mergedInto(finest, coarser));
  }
  return { latest: all.map((s) => s.latest), buckets };
}

/** Finer buckets of one series merged into the buckets of a coarser width (each a whole multiple of theirs). */
function mergedInto(finer: readonly BucketAggregate[], width: number): BucketAggregate[] {
  const out = new Map<number, BucketAggregate>();
  for (const f of finer) {
    const bucket = Math.floor(f.first.step / width);
    const agg = out.get(bucket);
    if (!agg) {
      out.set(bucket, { ...f, width, bucket });
      continue;
    }
    agg.n += f.n;
    if (f.first.step < agg.first.step || (f.first.step === agg.first.step && f.first.ts < agg.first.ts)) agg.first = f.first;
    if (f.last.step > agg.last.step || (f.last.step === agg.last.step && f.last.ts >= agg.last.ts)) agg.last = f.last;
    if (f.min.value < agg.min.value) agg.min = f.min;
    if (f.max.value > agg.max.value) agg.max = f.max;
  }
  return [...out.values()];
}

/** Floor division in SQL (SQLite's `/` truncates toward zero). */
const floorDiv = (x: string, width: number) => `((${x} - (((${x} % ${width}) + ${width}) % ${width})) / ${width})`;

/**
 * Recomputes the buckets of one width from the points, as the SQL before and after a WHERE clause
 * on the points (none: every series, the migration's backfill; one series from a bucket's first step
 * on: a series that starts over). The caller deletes those buckets first.
 */
export function rebuildBucketsSql(width: number): { head: string; tail: string } {
  const g = (order: string) => `OVER (PARTITION BY run_id, key, b ORDER BY ${order} ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)`;
  const firstOf = (order: string) => ['step', 'ts', 'value'].map((c) => `first_value(${c}) ${g(order)}`).join(', ');
  return {
    head: `INSERT INTO metric_buckets (${BUCKET_COLUMNS})
    SELECT DISTINCT run_id, key, ${width}, b, count(*) ${g('step')},
      ${firstOf('step, ts, rowid')},
      ${firstOf('step DESC, ts DESC, rowid DESC')},
      ${firstOf('value, step, ts, rowid')},
      ${firstOf('value DESC, step, ts, rowid')}
    FROM (SELECT rowid, run_id, key, step, ts, value, ${floorDiv('step', width)} AS b FROM metrics`,
    tail: ')',
  };
}
