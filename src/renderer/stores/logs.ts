/**
 * Log lines per job. A job's log is tracked from the moment it is opened: jobs.logs catches up
 * (paging with afterId), live 'job.log' events append, and both are merged by line id, so a line
 * that arrives twice shows once.
 */
import { create } from 'zustand';
import type { LogLine } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

/** Lines kept per job; older ones are dropped from view (they stay in the core). */
export const MAX_LINES = 20_000;
const PAGE = 1000;
const MAX_PAGES = 50;

export interface JobLog {
  lines: LogLine[];
  loading: boolean;
  error: string | null;
  /** Lines dropped from the front to stay under MAX_LINES. */
  dropped: number;
}

interface LogsState {
  byJob: Record<string, JobLog>;
  /** Starts tracking a job's log (or catches up one already tracked). */
  open(jobId: string): Promise<void>;
  append(line: LogLine): void;
  /** After a reconnect: catch every tracked log up. */
  resyncAll(): void;
}

const EMPTY: JobLog = { lines: [], loading: false, error: null, dropped: 0 };

export function mergeLines(existing: LogLine[], incoming: LogLine[]): LogLine[] {
  if (incoming.length === 0) return existing;
  const last = existing[existing.length - 1];
  // Fast path: everything new comes after what we have, in order.
  if (
    (!last || incoming[0].id > last.id) &&
    incoming.every((l, i) => i === 0 || l.id > incoming[i - 1].id)
  ) {
    return existing.concat(incoming);
  }
  const byId = new Map<number, LogLine>();
  for (const l of existing) byId.set(l.id, l);
  for (const l of incoming) byId.set(l.id, l);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

function capped(log: JobLog, lines: LogLine[]): Pick<JobLog, 'lines' | 'dropped'> {
  if (lines.length <= MAX_LINES) return { lines, dropped: log.dropped };
  const over = lines.length - MAX_LINES;
  return { lines: lines.slice(over), dropped: log.dropped + over };
}

async function fetchAfter(jobId: string, afterId: number): Promise<LogLine[]> {
  const all: LogLine[] = [];
  let after = afterId;
  for (let page = 0; page < MAX_PAGES; page++) {
    const lines = await api().jobs.logs({ id: jobId, afterId: after, limit: PAGE });
    all.push(...lines);
    if (lines.length < PAGE) break;
    after = lines[lines.length - 1].id;
  }
  return all;
}

export const useLogs = create<LogsState>((set, get) => ({
  byJob: {},

  async open(jobId) {
    const before = get().byJob[jobId] ?? EMPTY;
    if (before.loading) return;
    set((s) => ({ byJob: { ...s.byJob, [jobId]: { ...(s.byJob[jobId] ?? EMPTY), loading: true, error: null } } }));
    const lastId = before.lines.length ? before.lines[before.lines.length - 1].id : 0;
    try {
      const lines = await fetchAfter(jobId, lastId);
      set((s) => {
        const log = s.byJob[jobId] ?? EMPTY;
        return { byJob: { ...s.byJob, [jobId]: { ...log, ...capped(log, mergeLines(log.lines, lines)), loading: false } } };
      });
    } catch (err) {
      set((s) => ({
        byJob: { ...s.byJob, [jobId]: { ...(s.byJob[jobId] ?? EMPTY), loading: false, error: errorMessage(err) } },
      }));
    }
  },

  append(line) {
    const log = get().byJob[line.jobId];
    if (!log) return; // not tracked: it is fetched when the job is opened
    set((s) => {
      const cur = s.byJob[line.jobId];
      if (!cur) return s;
      const merged = mergeLines(cur.lines, [line]);
      if (merged === cur.lines) return s;
      return { byJob: { ...s.byJob, [line.jobId]: { ...cur, ...capped(cur, merged) } } };
    });
  },

  resyncAll() {
    for (const jobId of Object.keys(get().byJob)) void get().open(jobId);
  },
}));

export function useJobLog(jobId: string): JobLog {
  return useLogs((s) => s.byJob[jobId] ?? EMPTY);
}
