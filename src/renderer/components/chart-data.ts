/**
 * The arithmetic behind the run charts, kept apart from React and uPlot so it can be tested in Node:
 * which x a point is drawn at, EMA smoothing, joining series that have different x values onto the
 * one x array uPlot wants, and a colour per run.
 */
import type { MetricPoint } from '../../shared/contract';

/** What the x axis measures: the step, seconds since the series began, or the wall clock. */
export type XMode = 'step' | 'relative' | 'time';

export const X_MODES: { value: XMode; label: string }[] = [
  { value: 'step', label: 'Step' },
  { value: 'relative', label: 'Relative time' },
  { value: 'time', label: 'Wall time' },
];

/** One line on a chart: its label, colour, and points (x ascending once through `toXY`). */
export interface LineSeries {
  id: string;
  label: string;
  color: string;
  points: MetricPoint[];
}

/** Ten colours that stay apart from each other on the dark theme; runs beyond ten get hues by the golden angle. */
const PALETTE = ['#4c9aff', '#f5a524', '#3fb97a', '#ef5b5b', '#b28cff', '#2ec4d6', '#ff8ad8', '#c9d14a', '#ff9a62', '#8fa3bf'];

export function seriesColor(index: number): string {
  if (index < PALETTE.length) return PALETTE[index];
  const hue = Math.round((index * 137.508) % 360);
  return `hsl(${hue} 70% 62%)`;
}

/**
 * x and y arrays for one series. Relative time is seconds since the series' first point; wall time
 * is epoch seconds (uPlot's time axis counts seconds). Points that share an x keep the last one, so
 * x is strictly ascending, which joining relies on.
 */
export function toXY(points: readonly MetricPoint[], mode: XMode): { xs: number[]; ys: number[] } {
  const pairs = points.map((p) => ({ x: xOf(p, mode, points[0]?.ts ?? 0), y: p.value }));
  pairs.sort((a, b) => a.x - b.x);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const { x, y } of pairs) {
    if (xs.length && xs[xs.length - 1] === x) ys[ys.length - 1] = y;
    else {
      xs.push(x);
      ys.push(y);
    }
  }
  return { xs, ys };
}

function xOf(p: MetricPoint, mode: XMode, firstTs: number): number {
  if (mode === 'step') return p.step;
  if (mode === 'time') return p.ts / 1000;
  return (p.ts - firstTs) / 1000;
}

/**
 * Exponential moving average with TensorBoard's debiasing: `weight` 0 is the raw series, 0.99 is
 * very smooth. Without debiasing the first points would be pulled toward zero. Non-finite values
 * are passed through untouched and do not disturb the average.
 */
export function ema(values: readonly number[], weight: number): number[] {
  if (!(weight > 0)) return values.slice();
  const w = Math.min(weight, 0.999);
  const out = new Array<number>(values.length);
  let last = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * w + (1 - w) * v;
    n++;
    out[i] = last / (1 - Math.pow(w, n));
  }
  return out;
}

/**
 * Joins series with their own x values onto one ascending x array (uPlot's AlignedData shape):
 * a series without a point at some x has null there, and the chart spans the gap.
 */
export function joinSeries(tables: readonly { xs: readonly number[]; ys: readonly (number | null)[] }[]): [number[], ...(number | null)[][]] {
  const all = new Set<number>();
  for (const t of tables) for (const x of t.xs) all.add(x);
  const xs = [...all].sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const columns = tables.map((t) => {
    const col: (number | null)[] = new Array(xs.length).fill(null);
    for (let i = 0; i < t.xs.length; i++) col[index.get(t.xs[i])!] = t.ys[i];
    return col;
  });
  return [xs, ...columns];
}

/**
 * Everything a line chart draws, from raw points: x per the mode, smoothing, and on a log scale
 * values that cannot be drawn (zero, negative, non-finite) become gaps rather than errors.
 */
export function chartData(lines: readonly LineSeries[], opts: { xMode: XMode; smoothing: number; log: boolean }) {
  const tables = lines.map((l) => {
    const { xs, ys } = toXY(l.points, opts.xMode);
    const smooth = ema(ys, opts.smoothing);
    return { xs, ys: smooth.map((v) => (Number.isFinite(v) && (!opts.log || v > 0) ? v : null)) };
  });
  return joinSeries(tables);
}

/** The last non-null value of a column: what a legend shows away from the cursor. */
export function lastValue(values: ArrayLike<number | null | undefined> | undefined): number | null {
  if (!values) return null;
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  }
  return null;
}

/** One test row: the truth and the model's forecast for it. */
export interface PredictionRow {
  actual: number;
  predicted: number;
}

/**
 * Predicted against actual, sorted by actual (uPlot wants x ascending), beside the y = x line a
 * perfect model would sit on. Rows with a non-finite value are left out.
 */
export function scatterData(rows: readonly PredictionRow[]): [number[], number[], number[]] {
  const sorted = rows.filter((r) => Number.isFinite(r.actual) && Number.isFinite(r.predicted)).sort((a, b) => a.actual - b.actual);
  const xs = sorted.map((r) => r.actual);
  return [xs, sorted.map((r) => r.predicted), xs.slice()];
}

/** Residuals (actual − predicted) in test order, beside a zero line. */
export function residualData(rows: readonly PredictionRow[]): [number[], number[], number[]] {
  return [rows.map((_, i) => i), rows.map((r) => r.actual - r.predicted), rows.map(() => 0)];
}

/** Series the pipeline may record for the test split, one point per test row (step = row). */
export const PREDICTION_KEYS = { actual: 'predictions.actual', predicted: 'predictions.predicted' } as const;

/** Curves worth a chart: more than one point, neither system samples nor per-row predictions. */
export function curveGroups(series: Record<string, MetricPoint[]>): { title: string; keys: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const key of Object.keys(series).sort()) {
    if (key.startsWith('sys.') || key.startsWith('predictions.') || key.startsWith('scores.') || (series[key]?.length ?? 0) < 2) continue;
    // Training and validation curves of one quantity share a chart: `loss` with `val_loss`.
    const base = key.replace(/^val[_.]/, '');
    groups.set(base, [...(groups.get(base) ?? []), key]);
  }
  return [...groups].map(([title, keys]) => ({ title, keys: keys.sort((a, b) => a.length - b.length || a.localeCompare(b)) }));
}

/** Test rows from the prediction series, matched by step. */
export function predictionRows(series: Record<string, MetricPoint[]>): PredictionRow[] {
  const actual = series[PREDICTION_KEYS.actual];
  const predicted = series[PREDICTION_KEYS.predicted];
  if (!actual?.length || !predicted?.length) return [];
  const byStep = new Map(predicted.map((p) => [p.step, p.value]));
  return actual.flatMap((a) => (byStep.has(a.step) ? [{ actual: a.value, predicted: byStep.get(a.step)! }] : []));
}

/**
 * System samples (`sys.*`) grouped by unit, so one chart reads machine against process and GPU
 * against CPU: percentages together, megabytes together, anything else on its own.
 */
export function systemGroups(keys: readonly string[]): { title: string; keys: string[] }[] {
  const sys = keys.filter((k) => k.startsWith('sys.')).sort();
  const percent = sys.filter((k) => k.endsWith('_percent'));
  const mb = sys.filter((k) => k.endsWith('_mb'));
  const rest = sys.filter((k) => !percent.includes(k) && !mb.includes(k));
  return [
    ...(percent.length ? [{ title: 'Utilisation (%)', keys: percent }] : []),
    ...(mb.length ? [{ title: 'Memory (MB)', keys: mb }] : []),
    ...rest.map((k) => ({ title: k, keys: [k] })),
  ];
}

/** Series an anomaly run records for its test rows: the score of each row and, when known, its label. */
export const SCORE_KEYS = { score: 'scores.score', label: 'scores.label' } as const;

/**
 * The anomaly score of each test row against the threshold, and the rows labelled anomalous drawn at
 * their score. Score and label series are downsampled apart on the core, so a label is placed on the
 * nearest score point at or after its row: a labelled spike keeps its marker.
 */
export function anomalyScoreData(series: Record<string, MetricPoint[]>, threshold: number | undefined): [number[], number[], number[], (number | null)[]] | null {
  const score = series[SCORE_KEYS.score];
  if (!score?.length || threshold === undefined) return null;
  const x = score.map((p) => p.step);
  const y = score.map((p) => p.value);
  const marks: (number | null)[] = score.map(() => null);
  let j = 0;
  for (const l of series[SCORE_KEYS.label] ?? []) {
    if (l.value < 0.5) continue;
    while (j < x.length - 1 && x[j] < l.step) j++;
    marks[j] = y[j];
  }
  return [x, y, x.map(() => threshold), marks];
}
