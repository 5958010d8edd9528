/**
 * Reads of metric series over a better-sqlite3 handle: the core's own, or a worker thread's
 * read-only one (./series-thread.ts). Nothing here writes.
 *
 * A chart's read of a window [from, to] of steps picks the coarsest bucket width (see the store's
 * metric-buckets) that still has at least as many buckets in the window as the chart has min/max
 * slots, takes the buckets that lie wholly inside the window, and covers the window's two ragged
 * edges with finer buckets, down to the points themselves. So every point of the window is counted
 * exactly once, and the window's first, last, lowest and highest points are exact whatever its
 * edges. The cells are then grouped into the chart's slots, each keeping its lowest and highest
 * point. A window narrower than the finest width allows is read point by point and downsampled in
 * JS (./downsample).
 */
import type Database from 'better-sqlite3';
import type { MetricPoint } from '../../shared/contract';
import { BUCKET_WIDTHS, bucketOf, type BucketPoint } from '../store';
import { MIN_MAX_POINTS, downsample } from './downsample';

export interface StepWindow {
  /** First step of the window, inclusive; the series' first step when absent. */
  from?: number;
  /** Last step of the window, inclusive; the series' last step when absent. */
  to?: number;
}

/** A stretch of a series summarised: a bucket, or one point (n = 1). */
export interface Cell {
  n: number;
  first: BucketPoint;
  last: BucketPoint;
  min: BucketPoint;
  max: BucketPoint;
}

/** What a read will cost, known before it runs: which level it reads and about how many rows. */
export interface ReadPlan {
  total: number;
  from: number;
  to: number;
  /** Index into BUCKET_WIDTHS, or -1 for the points themselves. */
  level: number;
  /** Rows the read will scan, within a few buckets of the truth. */
  rows: number;
}

const COARSEST = BUCKET_WIDTHS.length - 1;

/** A bucket row as the statement hands it over: columns in its SELECT order, no object per row. */
type BucketRow = [n: number, ...points: number[]];

const toCell = (r: BucketRow): Cell => ({
  n: r[0],
  first: { step: r[1], ts: r[2], value: r[3] },
  last: { step: r[4], ts: r[5], value: r[6] },
  min: { step: r[7], ts: r[8], value: r[9] },
  max: { step: r[10], ts: r[11], value: r[12] },
});

const pointCell = (p: BucketPoint): Cell => ({ n: 1, first: p, last: p, min: p, max: p });

/** The min/max slots of a read of `maxPoints` points (first and last take two). */
export const slotsFor = (maxPoints: number) => Math.floor((maxPoints - 2) / 2);

export class SeriesReader {
  private readonly stats: Database.Statement;
  private readonly buckets: Database.Statement;
  private readonly countFrom: Database.Statement;
  private readonly points: Database.Statement;
  private readonly pointColumns: Database.Statement;

  constructor(raw: Database.Database) {
    this.stats = raw.prepare(`SELECT sum(n) AS n, min(first_step) AS lo, max(last_step) AS hi FROM metric_buckets WHERE run_id = ? AND key = ? AND width = ${BUCKET_WIDTHS[COARSEST]}`);
    const bucketSelect = 'SELECT n, first_step, first_ts, first_value, last_step, last_ts, last_value, min_step, min_ts, min_value, max_step, max_ts, max_value';
    this.buckets = raw.prepare(`${bucketSelect} FROM metric_buckets WHERE run_id = ? AND key = ? AND width = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket`).raw(true);
    this.countFrom = raw.prepare('SELECT sum(n) AS n FROM metric_buckets WHERE run_id = ? AND key = ? AND width = ? AND bucket >= ? AND bucket <= ?').pluck();
    // Ordered as the (run_id, key, step, ts, value) index is, so no read sorts.
    const points = 'SELECT step, ts, value FROM metrics WHERE run_id = ? AND key = ? AND step >= ? AND step <= ? ORDER BY step, ts';
    this.points = raw.prepare(points);
    this.pointColumns = raw.prepare(points).raw(true);
  }

  /** Which level a read of `maxPoints` points over `window` takes, and how many rows it scans. */
  plan(runId: string, key: string, maxPoints: number, window: StepWindow = {}): ReadPlan {
    if (!Number.isInteger(maxPoints) || maxPoints < MIN_MAX_POINTS) {
      throw new RangeError(`maxPoints must be an integer of at least ${MIN_MAX_POINTS}, got ${maxPoints}`);
    }
    const s = this.stats.get(runId, key) as { n: number | null; lo: number | null; hi: number | null };
    const total = s.n ?? 0;
    if (total === 0 || s.lo === null || s.hi === null) return { total, from: 0, to: -1, level: -1, rows: 0 };
    const from = Math.max(s.lo, window.from ?? s.lo);
    const to = Math.min(s.hi, window.to ?? s.hi);
    if (from > to) return { total, from, to, level: -1, rows: 0 };
    const span = to - from + 1;
    const slots = slotsFor(maxPoints);
    for (let level = COARSEST; level >= 0; level--) {
      const buckets = Math.floor(span / BUCKET_WIDTHS[level]);
      // Whole buckets inside, plus the finer cells of the two edges (fewer than 16 each per level, and 32 points).
      if (buckets >= slots) return { total, from, to, level, rows: buckets + 2 * 16 * level + 64 };
    }
    const finest = BUCKET_WIDTHS[0];
    const rows = (this.countFrom.get(runId, key, finest, bucketOf(from, finest), bucketOf(to, finest)) as number | null) ?? 0;
    return { total, from, to, level: -1, rows };
  }

  /** The window's points, at most `maxPoints` of them, in order (step, then time), extremes kept. */
  read(runId: string, key: string, maxPoints: number, window: StepWindow = {}): { points: MetricPoint[]; total: number } {
    const plan = this.plan(runId, key, maxPoints, window);
    if (plan.from > plan.to) return { points: [], total: plan.total };
    if (plan.level < 0) return { points: downsample(this.raw(runId, key, plan.from, plan.to), maxPoints), total: plan.total };
    const cells = this.cover(runId, key, plan.from, plan.to, plan.level);
    // A sparse window (few points over many steps) fits whole.
    if (cells.reduce((n, c) => n + c.n, 0) <= maxPoints) return { points: this.raw(runId, key, plan.from, plan.to), total: plan.total };
    return { points: pickPoints(cells, plan.from, plan.to, slotsFor(maxPoints)), total: plan.total };
  }

  /** The window summarised as cells, in step order, each point of it counted once. */
  cover(runId: string, key: string, from: number, to: number, level: number): Cell[] {
    if (from > to) return [];
    if (level < 0) return this.raw(runId, key, from, to).map(pointCell);
    const width = BUCKET_WIDTHS[level];
    const firstWhole = Math.ceil(from / width);
    const lastWhole = bucketOf(to + 1, width) - 1;
    if (firstWhole > lastWhole) return this.cover(runId, key, from, to, level - 1);
    const inside = (this.buckets.all(runId, key, width, firstWhole, lastWhole) as BucketRow[]).map(toCell);
    return [...this.cover(runId, key, from, firstWhole * width - 1, level - 1), ...inside, ...this.cover(runId, key, (lastWhole + 1) * width, to, level - 1)];
  }

  /** The window's points as stored, in order. */
  raw(runId: string, key: string, from: number, to: number): MetricPoint[] {
    return this.points.all(runId, key, from, to) as MetricPoint[];
  }

  /** Every point of the series, as columns (what a worker thread hands over without copying row objects). */
  columns(runId: string, key: string, window: StepWindow = {}): { step: Float64Array<ArrayBuffer>; ts: Float64Array<ArrayBuffer>; value: Float64Array<ArrayBuffer> } {
    const rows = this.pointColumns.iterate(runId, key, window.from ?? -Number.MAX_SAFE_INTEGER, window.to ?? Number.MAX_SAFE_INTEGER) as IterableIterator<[number, number, number]>;
    let cap = 1024;
    let step = new Float64Array(cap);
    let ts = new Float64Array(cap);
    let value = new Float64Array(cap);
    let n = 0;
    for (const r of rows) {
      if (n === cap) {
        cap *= 2;
        step = grow(step, cap);
        ts = grow(ts, cap);
        value = grow(value, cap);
      }
      step[n] = r[0];
      ts[n] = r[1];
      value[n] = r[2];
      n++;
    }
    return { step: step.slice(0, n), ts: ts.slice(0, n), value: value.slice(0, n) };
  }
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/**
 * At most 2 * slots + 2 points out of the cells: the first and the last, and the lowest and the
 * highest of each slot (cells go to a slot by their first step; slots split [from, to] evenly).
 */
export function pickPoints(cells: readonly Cell[], from: number, to: number, slots: number): MetricPoint[] {
  if (cells.length === 0) return [];
  const span = to - from + 1;
  const out: BucketPoint[] = [cells[0].first];
  let slot = -1;
  let lo: BucketPoint | null = null;
  let hi: BucketPoint | null = null;
  const flush = () => {
    if (!lo || !hi) return;
    if (lo === hi) out.push(lo);
    else if (lo.step < hi.step || (lo.step === hi.step && lo.ts <= hi.ts)) out.push(lo, hi);
    else out.push(hi, lo);
  };
  for (const c of cells) {
    const s = Math.min(slots - 1, Math.floor(((c.first.step - from) * slots) / span));
    if (s !== slot) {
      flush();
      slot = s;
      lo = c.min;
      hi = c.max;
      continue;
    }
    if (c.min.value < lo!.value) lo = c.min;
    if (c.max.value > hi!.value) hi = c.max;
  }
  flush();
  out.push(cells[cells.length - 1].last);
  // The first and last points may also be a slot's extreme, and a one-point bucket's lowest is its highest: each point once.
  const seen = new Set<string>();
  const points: MetricPoint[] = [];
  for (const p of out) {
    const id = `${p.step}:${p.ts}:${p.value}`;
    if (seen.has(id)) continue;
    seen.add(id);
    points.push({ step: p.step, ts: p.ts, value: p.value });
  }
  return points;
}
