/** All jobs, by id: loaded with jobs.list, kept live by 'job.updated' events merged by id. */
import { create } from 'zustand';
import type { Job, JobStatus } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

interface JobsState {
  byId: Record<string, Job>;
  loaded: boolean;
  loading: boolean;
  error: string | null;
  load(): Promise<void>;
  upsert(job: Job): void;
  /** Fetches one job the list does not hold (a deep link to an old job). */
  fetchOne(id: string): Promise<Job>;
}

/** Ids updated by events while a list request was in flight: those events are newer than the list. */
let touchedDuringLoad: Set<string> | null = null;

export const useJobs = create<JobsState>((set, get) => ({
  byId: {},
  loaded: false,
  loading: false,
  error: null,

  async load() {
    set({ loading: true, error: null });
    const touched = new Set<string>();
    touchedDuringLoad = touched;
    try {
      const jobs = await api().jobs.list({ limit: 500 });
      const current = get().byId;
      const byId: Record<string, Job> = {};
      for (const job of jobs) byId[job.id] = job;
      for (const id of touched) if (current[id]) byId[id] = current[id];
      // Keep jobs opened by id that fall outside the list's window.
      for (const [id, job] of Object.entries(current)) if (!byId[id] && !isActive(job.status)) byId[id] = job;
      set({ byId, loaded: true, loading: false });
    } catch (err) {
      set({ loading: false, error: errorMessage(err) });
    } finally {
      if (touchedDuringLoad === touched) touchedDuringLoad = null;
    }
  },

  upsert(job) {
    touchedDuringLoad?.add(job.id);
    set((s) => (s.byId[job.id] === job ? s : { byId: { ...s.byId, [job.id]: job } }));
  },

  async fetchOne(id) {
    const job = await api().jobs.get({ id });
    if (!get().byId[id]) get().upsert(job);
    return job;
  },
}));

export function isActive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** Newest first (ids are sortable, so they break ties in creation time). */
export function sortJobs(byId: Record<string, Job>): Job[] {
  return Object.values(byId).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
}
