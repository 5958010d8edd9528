/**
 * Metric series per run: runs.metrics loads what is stored (possibly downsampled), live
 * 'run.metric' events add points; points are merged by step within each key.
 */
import { create } from 'zustand';
import type { MetricPoint, RunMetricEvent } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { mergeByKey } from '../lib/merge';

export type SeriesByKey = Record<string, MetricPoint[]>;

export interface RunMetrics {
  series: SeriesByKey;
  loaded: boolean;
  loading: boolean;
  error: string | null;
}

interface MetricsState {
  byRun: Record<string, RunMetrics>;
  load(runId: string): Promise<void>;
  push(ev: RunMetricEvent): void;
}

const EMPTY: RunMetrics = { series: {}, loaded: false, loading: false, error: null };
/** Runs whose live points are kept without having been opened (they are few points each). */
const MAX_UNOPENED_RUNS = 200;

function mergePoints(existing: MetricPoint[] | undefined, incoming: MetricPoint[]): MetricPoint[] {
  return mergeByKey(existing ?? [], incoming, (p) => p.step);
}

export const useMetrics = create<MetricsState>((set, get) => ({
  byRun: {},

  async load(runId) {
    const before = get().byRun[runId];
    if (before?.loading) return;
    set((s) => ({ byRun: { ...s.byRun, [runId]: { ...(s.byRun[runId] ?? EMPTY), loading: true, error: null } } }));
    try {
      const list = await api().runs.metrics({ id: runId });
      set((s) => {
        const cur = s.byRun[runId] ?? EMPTY;
        const series: SeriesByKey = { ...cur.series };
        for (const { key, points } of list) series[key] = mergePoints(series[key], points);
        return { byRun: { ...s.byRun, [runId]: { series, loaded: true, loading: false, error: null } } };
      });
    } catch (err) {
      set((s) => ({
        byRun: { ...s.byRun, [runId]: { ...(s.byRun[runId] ?? EMPTY), loading: false, error: errorMessage(err) } },
      }));
    }
  },

  push(ev) {
    set((s) => {
      let byRun = s.byRun;
      if (!byRun[ev.runId]) {
        const unopened = Object.keys(byRun).filter((id) => !byRun[id].loaded && !byRun[id].loading);
        if (unopened.length >= MAX_UNOPENED_RUNS) {
          byRun = { ...byRun };
          delete byRun[unopened[0]];
        }
      }
      const cur = byRun[ev.runId] ?? EMPTY;
      const point: MetricPoint = { step: ev.step, ts: ev.ts, value: ev.value };
      const series = { ...cur.series, [ev.key]: mergePoints(cur.series[ev.key], [point]) };
      return { byRun: { ...byRun, [ev.runId]: { ...cur, series } } };
    });
  },
}));

export function useRunMetrics(runId: string | null | undefined): RunMetrics {
  return useMetrics((s) => (runId ? (s.byRun[runId] ?? EMPTY) : EMPTY));
}
