/** Runs: the list for the Runs view, and single runs (summary, artifacts) opened from a job or the list. */
import { create } from 'zustand';
import type { Run, RunMetricEvent } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

interface RunsState {
  list: Run[];
  listLoaded: boolean;
  listError: string | null;
  byId: Record<string, Run>;
  errors: Record<string, string>;
  loadList(): Promise<void>;
  loadRun(id: string): Promise<void>;
  /** A live metric keeps an opened run's summary (latest value per key) current. */
  applyMetric(ev: RunMetricEvent): void;
}

export const useRuns = create<RunsState>((set, get) => ({
  list: [],
  listLoaded: false,
  listError: null,
  byId: {},
  errors: {},

  async loadList() {
    try {
      const list = await api().runs.list({ limit: 200 });
      set({ list, listLoaded: true, listError: null });
    } catch (err) {
      set({ listError: errorMessage(err) });
    }
  },

  async loadRun(id) {
    try {
      const run = await api().runs.get({ id });
      set((s) => {
        const errors = { ...s.errors };
        delete errors[id];
        return { byId: { ...s.byId, [id]: run }, errors };
      });
    } catch (err) {
      set((s) => ({ errors: { ...s.errors, [id]: errorMessage(err) } }));
    }
  },

  applyMetric(ev) {
    const run = get().byId[ev.runId];
    if (!run || run.summary[ev.key] === ev.value) return;
    set((s) => ({ byId: { ...s.byId, [ev.runId]: { ...run, summary: { ...run.summary, [ev.key]: ev.value } } } }));
  },
}));
