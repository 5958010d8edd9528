/**
 * The live monitor: the latest sample (kept live by 'monitor.sample', which the Monitor view and the
 * job page subscribe to while they are shown), and the history of the chosen range, read once per
 * range and then extended with each live sample, so the page never polls.
 */
import { create } from 'zustand';
import type { MonitorHistory, MonitorRange, MonitorSnapshot } from '../../shared/contract';
import { seriesOf } from '../../shared/monitor-series';
import { api, currentClient } from '../api/client';
import { errorMessage } from '../lib/errors';

export const RANGE_MS: Record<MonitorRange, number> = { '1h': 3_600_000, '6h': 6 * 3_600_000, '24h': 24 * 3_600_000 };

interface MonitorStore {
  snapshot: MonitorSnapshot | null;
  error: string | null;
  range: MonitorRange;
  history: MonitorHistory | null;
  historyError: string | null;
  loadSnapshot(): Promise<void>;
  loadHistory(range?: MonitorRange): Promise<void>;
  receive(s: MonitorSnapshot): void;
}

/** The history with one more sample at its end, and what has left the range dropped. */
export function appendSample(h: MonitorHistory, s: MonitorSnapshot): MonitorHistory {
  if (h.ts.length > 0 && s.at <= h.ts[h.ts.length - 1]) return h;
  const values = seriesOf(s);
  const from = s.at - RANGE_MS[h.range];
  const keep = h.ts.findIndex((t) => t > from);
  const start = keep < 0 ? h.ts.length : keep;
  const names = new Set([...Object.keys(h.series), ...Object.keys(values)]);
  const series: MonitorHistory['series'] = {};
  for (const name of names) {
    const old = h.series[name] ?? h.ts.map(() => null);
    series[name] = [...old.slice(start), values[name] ?? null];
  }
  return { ...h, ts: [...h.ts.slice(start), s.at], series };
}

export const useMonitor = create<MonitorStore>((set, get) => ({
  snapshot: null,
  error: null,
  range: '1h',
  history: null,
  historyError: null,

  async loadSnapshot() {
    try {
      set({ snapshot: await api().monitor.snapshot({}), error: null });
    } catch (err) {
      set({ error: errorMessage(err) });
    }
  },

  async loadHistory(range = get().range) {
    set({ range });
    try {
      const history = await api().monitor.history({ range });
      // A later choice of range wins over an earlier answer.
      if (get().range === range) set({ history, historyError: null });
    } catch (err) {
      set({ historyError: errorMessage(err) });
    }
  },

  receive(s) {
    const h = get().history;
    set({ snapshot: s, error: null, history: h ? appendSample(h, s) : h });
  },
}));

/** Subscribes to live samples while mounted and connected (a reconnect subscribes again). */
export function subscribeMonitor(): () => void {
  const client = currentClient();
  if (!client) return () => undefined;
  return client.on('monitor.sample', (s) => useMonitor.getState().receive(s));
}
