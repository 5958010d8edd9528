/**
 * The queue as a whole: paused or running, capacity and what is in use (queue.state, kept live by
 * 'queue.updated'), and the stats header (queue.stats). Stats are an aggregate the core computes
 * over every job, so they are fetched rather than derived. Both are refreshed when jobs change
 * status (the core announces pause and resume, not every start), at most once per
 * STATS_MIN_INTERVAL_MS, so a drain of thousands of jobs costs one pair of requests a second, not
 * one per job.
 */
import { create } from 'zustand';
import type { QueueLimits, QueueState, QueueStats } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

export const STATS_MIN_INTERVAL_MS = 1000;

interface QueueStore {
  state: QueueState | null;
  stats: QueueStats | null;
  error: string | null;
  statsError: string | null;
  /** A pause or resume is on its way. */
  busy: boolean;
  load(): Promise<void>;
  applyState(state: QueueState): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** Saves new limits (max concurrent jobs, per kind, aging). */
  configure(limits: QueueLimits): Promise<void>;
  change(call: () => Promise<QueueState>): Promise<void>;
  /** Fetches the state and the stats together. */
  loadStats(): Promise<void>;
  /** Asks for fresh stats soon: now if the last request is old enough, else once it is. */
  refreshStatsSoon(): void;
}

let lastStatsAt = 0;
let statsTimer: ReturnType<typeof setTimeout> | null = null;
let statsInFlight = false;
let statsAgain = false;

export const useQueue = create<QueueStore>((set, get) => ({
  state: null,
  stats: null,
  error: null,
  statsError: null,
  busy: false,

  async load() {
    await get().loadStats();
  },

  applyState(state) {
    set({ state, error: null });
  },

  pause: () => get().change(() => api().queue.pause({})),
  resume: () => get().change(() => api().queue.resume({})),
  configure: (limits) => get().change(() => api().queue.configure(limits)),

  /** One pause, resume or limits change at a time; the answer is the queue's new state. */
  async change(call) {
    set({ busy: true, error: null });
    try {
      set({ state: await call() });
    } catch (err) {
      set({ error: errorMessage(err) });
    } finally {
      set({ busy: false });
    }
  },

  async loadStats() {
    if (statsInFlight) {
      statsAgain = true;
      return;
    }
    statsInFlight = true;
    lastStatsAt = Date.now();
    try {
      const [state, stats] = await Promise.all([api().queue.state({}), api().queue.stats({})]);
      set({ state, stats, statsError: null });
    } catch (err) {
      set({ statsError: errorMessage(err) });
    } finally {
      statsInFlight = false;
      if (statsAgain) {
        statsAgain = false;
        get().refreshStatsSoon();
      }
    }
  },

  refreshStatsSoon() {
    if (statsTimer !== null) return;
    const wait = Math.max(0, lastStatsAt + STATS_MIN_INTERVAL_MS - Date.now());
    statsTimer = setTimeout(() => {
      statsTimer = null;
      void get().loadStats();
    }, wait);
  },
}));
