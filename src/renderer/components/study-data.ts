/**
 * The arithmetic behind the study charts, kept apart from React, uPlot and the canvas so it can be
 * tested in Node: the optimisation history with its best-so-far line, which learning curves to draw
 * when there are thousands, slice and contour data, and a colour scale for the objective.
 *
 * A study may hold 5,000 trials, so nothing here draws every point where fewer say the same: curves
 * are capped (best first), the contour is binned onto a fixed grid before it is interpolated.
 */
import type { Direction, ParamDistribution, ParamValue, SearchSpace, StudySummary, StudyTrial } from '../../shared/contract';

/** The objective's better of two values. */
export function isBetter(a: number, b: number, direction: Direction): boolean {
  return direction === 'minimize' ? a < b : a > b;
}

/** What a study has done against its budget: trials ended (completed, pruned or failed) out of the budget. */
export function studyProgress(study: Pick<StudySummary, 'counts' | 'spec' | 'status'>): { done: number; budget: number | null; fraction: number } {
  const { completed, pruned, failed } = study.counts;
  const done = completed + pruned + failed;
  const budget = study.spec.budget.trials ?? null;
  const fraction = study.status === 'completed' ? 1 : budget ? Math.min(1, done / budget) : 0;
  return { done, budget, fraction };
}

/**
 * The optimisation history as uPlot's aligned columns: x is the trial number; completed trials'
 * values, pruned trials' last reported values, and the best completed value so far (by trial
 * number, as Optuna's dashboard draws it). Trials without a value (running, failed) are left out.
 */
export interface HistoryColumns {
  numbers: number[];
  completed: (number | null)[];
  pruned: (number | null)[];
  best: (number | null)[];
}

export function historyColumns(trials: readonly StudyTrial[], direction: Direction): HistoryColumns {
  const drawn = trials
    .filter((t) => t.value !== null && Number.isFinite(t.value) && (t.status === 'completed' || t.status === 'pruned'))
    .sort((a, b) => a.number - b.number);
  const out: HistoryColumns = { numbers: [], completed: [], pruned: [], best: [] };
  let best: number | null = null;
  for (const t of drawn) {
    const v = t.value as number;
    out.numbers.push(t.number);
    out.completed.push(t.status === 'completed' ? v : null);
    out.pruned.push(t.status === 'pruned' ? v : null);
    if (t.status === 'completed' && (best === null || isBetter(v, best, direction))) best = v;
    out.best.push(best);
  }
  return out;
}

/** How good a trial looks for ranking: its value, else its best intermediate value; null when it has neither. */
export function trialScore(t: StudyTrial, direction: Direction): number | null {
  if (t.value !== null && Number.isFinite(t.value)) return t.value;
  let best: number | null = null;
  for (const p of t.intermediate) {
    if (Number.isFinite(p.value) && (best === null || isBetter(p.value, best, direction))) best = p.value;
  }
  return best;
}

/** Compares two trials, better first; trials without a score last, then by number. */
export function compareTrials(direction: Direction): (a: StudyTrial, b: StudyTrial) => number {
  return (a, b) => {
    const sa = trialScore(a, direction);
    const sb = trialScore(b, direction);
    if (sa === null || sb === null) return sa === null && sb === null ? a.number - b.number : sa === null ? 1 : -1;
    if (sa === sb) return a.number - b.number;
    return isBetter(sa, sb, direction) ? -1 : 1;
  };
}

/**
 * The learning curves worth drawing, at most `max`: the trials running now (their curves move), up
 * to a quarter of the cap unless the finished ones leave more room; the best pruned trials, up to
 * another quarter, so pruning stays visible when the best trials all completed; then the best of
 * the rest. Thousands of lines would say nothing a few hundred do not, and would cost a redraw each.
 */
export function pickCurves(trials: readonly StudyTrial[], direction: Direction, max: number): StudyTrial[] {
  const withCurves = trials.filter((t) => t.intermediate.length > 0);
  const finished = withCurves.filter((t) => t.status !== 'running').sort(compareTrials(direction));
  const runningQuota = Math.max(Math.floor(max / 4), max - finished.length);
  const running = withCurves.filter((t) => t.status === 'running').sort((a, b) => b.number - a.number).slice(0, runningQuota);
  const room = Math.max(0, max - running.length);
  const pruned = finished.filter((t) => t.status === 'pruned').slice(0, Math.min(Math.floor(max / 4), room));
  const reserved = new Set(pruned);
  const others = finished.filter((t) => !reserved.has(t)).slice(0, room - pruned.length);
  return [...running, ...[...pruned, ...others].sort(compareTrials(direction))];
}

/** Curves joined on one step axis (uPlot wants one x array): null where a curve has no value at a step. */
export function alignCurves(curves: readonly StudyTrial[]): { steps: number[]; columns: (number | null)[][] } {
  const stepSet = new Set<number>();
  for (const c of curves) for (const p of c.intermediate) stepSet.add(p.step);
  const steps = [...stepSet].sort((a, b) => a - b);
  const at = new Map(steps.map((s, i) => [s, i]));
  const columns = curves.map((c) => {
    const col = new Array<number | null>(steps.length).fill(null);
    for (const p of c.intermediate) if (Number.isFinite(p.value)) col[at.get(p.step)!] = p.value;
    return col;
  });
  return { steps, columns };
}

/** How one parameter is placed on an axis: numeric (log or linear) or evenly spaced categories. */
export interface ParamAxis {
  param: string;
  kind: 'number' | 'category';
  log: boolean;
  /** An int parameter: labels are whole numbers. */
  integer: boolean;
  /** In axis units (log10 of the value on a log axis; the index for categories). */
  min: number;
  max: number;
  categories: string[];
}

/** The axis for a parameter, from its distribution when the space has it, else from the values seen. */
export function paramAxis(param: string, dist: ParamDistribution | undefined, values: readonly ParamValue[]): ParamAxis {
  if (dist?.type === 'categorical' || (!dist && values.some((v) => typeof v !== 'number'))) {
    const categories = dist?.type === 'categorical' ? dist.choices.map(String) : [...new Set(values.map(String))].sort();
    return { param, kind: 'category', log: false, integer: false, min: 0, max: Math.max(0, categories.length - 1), categories };
  }
  const log = dist ? dist.log && dist.low > 0 : false;
  const nums = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v) && (!log || v > 0));
  let lo = dist ? dist.low : Math.min(...nums);
  let hi = dist ? dist.high : Math.max(...nums);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  const integer = dist ? dist.type === 'int' : nums.length > 0 && nums.every((v) => Number.isInteger(v));
  return { param, kind: 'number', log, integer, min: log ? Math.log10(lo) : lo, max: log ? Math.log10(hi) : hi, categories: [] };
}

/** A value in axis units; null when it does not belong on the axis. */
export function axisValue(axis: ParamAxis, v: ParamValue | undefined): number | null {
  if (v === undefined) return null;
  if (axis.kind === 'category') {
    const i = axis.categories.indexOf(String(v));
    return i < 0 ? null : i;
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (axis.log) return v > 0 ? Math.log10(v) : null;
  return v;
}

/** The label for a position on an axis, in the parameter's own units. */
export function axisLabel(axis: ParamAxis, x: number): string {
  if (axis.kind === 'category') return axis.categories[Math.round(x)] ?? '';
  const v = axis.log ? Math.pow(10, x) : x;
  if (axis.integer) return String(Math.round(v));
  return String(Number(v.toPrecision(3)));
}

/**
 * A small deterministic spread for points that share a category, so a hundred trials at "adam" do
 * not sit on one pixel. A hash of the trial number, not a random draw: the chart does not shimmer
 * on each redraw.
 */
export function jitter(n: number, width = 0.3): number {
  let h = (n + 1) * 2654435761;
  h = (h ^ (h >>> 16)) >>> 0;
  return ((h % 1000) / 999 - 0.5) * width;
}

/** Whether points on this axis sit on a few values (categories, a small int range) and are spread a little. */
export function spreads(axis: ParamAxis): boolean {
  return axis.kind === 'category' || (axis.integer && !axis.log && axis.max - axis.min <= 10);
}

/** One slice plot: the objective against one parameter, completed trials only, sorted by x for uPlot. */
export interface SliceData {
  axis: ParamAxis;
  xs: number[];
  ys: number[];
  numbers: number[];
}

export function sliceData(trials: readonly StudyTrial[], param: string, dist: ParamDistribution | undefined): SliceData {
  const done = trials.filter((t) => t.status === 'completed' && t.value !== null && Number.isFinite(t.value) && t.params[param] !== undefined);
  const axis = paramAxis(param, dist, done.map((t) => t.params[param]));
  const pts: { x: number; y: number; n: number }[] = [];
  for (const t of done) {
    const x = axisValue(axis, t.params[param]);
    if (x === null) continue;
    pts.push({ x: spreads(axis) ? x + jitter(t.number) : x, y: t.value as number, n: t.number });
  }
  pts.sort((a, b) => a.x - b.x || a.n - b.n);
  return { axis, xs: pts.map((p) => p.x), ys: pts.map((p) => p.y), numbers: pts.map((p) => p.n) };
}

/**
 * A contour's grid: the objective over two parameters. Completed trials are first binned onto a
 * `size` x `size` grid (mean per bin: cheap however many trials), then every cell takes the
 * inverse-distance-weighted mean of the filled bins, so the map is filled in between the trials
 * and stays exact where many trials agree. `values` is row-major, row 0 at the bottom (low y).
 */
export interface ContourGrid {
  x: ParamAxis;
  y: ParamAxis;
  size: number;
  values: Float64Array;
  /** The range of `values`, for the colour scale. */
  lo: number;
  hi: number;
  /** The trials, in axis units. */
  points: { x: number; y: number; value: number; number: number }[];
}

export function contourGrid(
  trials: readonly StudyTrial[],
  px: string,
  py: string,
  space: SearchSpace,
  size = 32,
): ContourGrid | null {
  const done = trials.filter(
    (t) => t.status === 'completed' && t.value !== null && Number.isFinite(t.value) && t.params[px] !== undefined && t.params[py] !== undefined,
  );
  const x = paramAxis(px, space[px], done.map((t) => t.params[px]));
  const y = paramAxis(py, space[py], done.map((t) => t.params[py]));
  const points: ContourGrid['points'] = [];
  for (const t of done) {
    const vx = axisValue(x, t.params[px]);
    const vy = axisValue(y, t.params[py]);
    if (vx !== null && vy !== null) points.push({ x: vx, y: vy, value: t.value as number, number: t.number });
  }
  if (points.length === 0) return null;
  const sum = new Float64Array(size * size);
  const count = new Uint32Array(size * size);
  for (const p of points) {
    const i = gridCell(y, p.y, size) * size + gridCell(x, p.x, size);
    sum[i] += p.value;
    count[i]++;
  }
  const filled: { cx: number; cy: number; mean: number }[] = [];
  for (let i = 0; i < size * size; i++) {
    if (count[i] > 0) filled.push({ cx: i % size, cy: Math.floor(i / size), mean: sum[i] / count[i] });
  }
  const values = new Float64Array(size * size);
  let lo = Infinity;
  let hi = -Infinity;
  for (let cy = 0; cy < size; cy++) {
    for (let cx = 0; cx < size; cx++) {
      const i = cy * size + cx;
      let v: number;
      if (count[i] > 0) v = sum[i] / count[i];
      else {
        let wSum = 0;
        let vSum = 0;
        for (const f of filled) {
          const d2 = (f.cx - cx) ** 2 + (f.cy - cy) ** 2;
          const w = 1 / (d2 * d2);
          wSum += w;
          vSum += w * f.mean;
        }
        v = vSum / wSum;
      }
      values[i] = v;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  return { x, y, size, values, lo, hi, points };
}

/**
 * Where a value sits across a chart, 0 at the left or bottom edge and 1 at the other: categories in
 * equal bands (a value at its band's middle), numbers over their range (the middle when there is none).
 */
export function axisFraction(axis: ParamAxis, v: number): number {
  if (axis.kind === 'category') return (v + 0.5) / Math.max(1, axis.categories.length);
  return axis.max > axis.min ? (v - axis.min) / (axis.max - axis.min) : 0.5;
}

/** The contour grid's cell, along one axis, for a value in axis units. */
export function gridCell(axis: ParamAxis, v: number, size: number): number {
  return Math.min(size - 1, Math.max(0, Math.floor(axisFraction(axis, v) * size)));
}

/** Stops of the viridis scale: dark purple (0) through teal to yellow (1). */
const VIRIDIS: [number, number, number][] = [
  [68, 1, 84],
  [72, 40, 120],
  [62, 74, 137],
  [49, 104, 142],
  [38, 130, 142],
  [31, 158, 137],
  [53, 183, 121],
  [109, 205, 89],
  [180, 222, 44],
  [253, 231, 37],
];

/** A colour for t in [0, 1] on the viridis scale. */
export function viridis(t: number): [number, number, number] {
  const c = Math.max(0, Math.min(1, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(c));
  const f = c - i;
  const a = VIRIDIS[i];
  const b = VIRIDIS[i + 1];
  return [Math.round(a[0] + (b[0] - a[0]) * f), Math.round(a[1] + (b[1] - a[1]) * f), Math.round(a[2] + (b[2] - a[2]) * f)];
}

/** Where a value sits between lo and hi with better toward 1 (the bright end), whichever the direction. */
export function goodness(v: number, lo: number, hi: number, direction: Direction): number {
  if (!(hi > lo)) return 0.5;
  const t = (v - lo) / (hi - lo);
  return direction === 'minimize' ? 1 - t : t;
}

export function rgb([r, g, b]: [number, number, number]): string {
  return `rgb(${r},${g},${b})`;
}

/** The parameters a study's trials hold, in the space's order and then any others seen. */
export function paramNames(space: SearchSpace, trials: readonly StudyTrial[]): string[] {
  const names = Object.keys(space);
  const seen = new Set(names);
  for (const t of trials) for (const k of Object.keys(t.params)) if (!seen.has(k)) {
    seen.add(k);
    names.push(k);
  }
  return names;
}

export type TrialSortKey = 'number' | 'status' | 'value' | `param:${string}`;

/** Sorts trials for the table; missing values last whichever the direction. */
export function sortTrials(trials: readonly StudyTrial[], key: TrialSortKey, desc: boolean): StudyTrial[] {
  const get = (t: StudyTrial): number | string | null => {
    if (key === 'number') return t.number;
    if (key === 'status') return t.status;
    if (key === 'value') return t.value;
    const v = t.params[key.slice(6)];
    return v === undefined ? null : typeof v === 'boolean' ? String(v) : v;
  };
  const sign = desc ? -1 : 1;
  return [...trials].sort((a, b) => {
    const va = get(a);
    const vb = get(b);
    if (va === null || vb === null) return va === vb ? a.number - b.number : va === null ? 1 : -1;
    if (va === vb) return a.number - b.number;
    if (typeof va === 'number' && typeof vb === 'number') return sign * (va - vb);
    return sign * String(va).localeCompare(String(vb), undefined, { numeric: true });
  });
}
