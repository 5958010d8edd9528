/**
 * The geometry of a parallel-coordinates chart, apart from the drawing: one vertical axis per param
 * plus the chosen metric on the right, each run a polyline across them. Numeric params get a linear
 * axis over their range; strings and booleans get evenly spaced categories.
 */
import type { ParamValue } from '../../shared/contract';

export interface PcRun {
  id: string;
  params: Record<string, ParamValue>;
  /** The chosen metric's value; null when the run lacks it. */
  metric: number | null;
}

export interface PcAxis {
  key: string;
  kind: 'number' | 'category';
  /** Numeric axes: the range drawn, bottom to top. */
  min: number;
  max: number;
  /** Category axes: the values, bottom to top. */
  categories: string[];
}

/** Where a value sits on an axis: 0 at the bottom, 1 at the top; null when the run has no value. */
export function axisPosition(axis: PcAxis, value: ParamValue | null | undefined): number | null {
  if (value === null || value === undefined) return null;
  if (axis.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value)) return null;
    return axis.max === axis.min ? 0.5 : (value - axis.min) / (axis.max - axis.min);
  }
  const i = axis.categories.indexOf(String(value));
  if (i < 0) return null;
  return axis.categories.length === 1 ? 0.5 : i / (axis.categories.length - 1);
}

/** An axis fitted to the values the runs hold; numeric only when every present value is a finite number. */
export function fitAxis(key: string, values: (ParamValue | null | undefined)[]): PcAxis {
  const present = values.filter((v): v is ParamValue => v !== null && v !== undefined);
  const numeric = present.length > 0 && present.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (numeric) {
    const nums = present as number[];
    return { key, kind: 'number', min: Math.min(...nums), max: Math.max(...nums), categories: [] };
  }
  const categories = [...new Set(present.map(String))].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return { key, kind: 'category', min: 0, max: 0, categories };
}

/**
 * The axes to draw: params that vary across the runs (a constant param says nothing about the
 * metric; all params when none varies), then the metric.
 */
export function parallelAxes(runs: readonly PcRun[], metricKey: string): { params: PcAxis[]; metric: PcAxis } {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const axes = keys.map((k) => fitAxis(k, runs.map((r) => r.params[k])));
  const varying = axes.filter((a) => (a.kind === 'number' ? a.max > a.min : a.categories.length > 1) || runs.some((r) => r.params[a.key] === undefined));
  const metric = fitAxis(metricKey, runs.map((r) => r.metric));
  return { params: varying.length ? varying : axes, metric };
}
