/**
 * Log lines per job. A job's log is tracked from the moment it is opened: jobs.logs catches up
 * (paging with afterId), live 'job.log' events append, and both are merged by line id, so a line
 * that arrives twice shows once.
 */
import { create } from 'zustand';
import type { LogLine } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { mergeByKey } from '../lib/merge';

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

function mergeLines(existing: LogLine[], incoming: LogLine[]): LogLine[] {
  return mergeByKey(existing, incoming, (l) => l.id);
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
    const cur = get().byJob[line.jobId];
    if (!cur) return; // not tracked: it is fetched when the job is opened
    const merged = mergeLines(cur.lines, [line]);
    if (merged === cur.lines) return;
    set((s) => ({ byJob: { ...s.byJob, [line.jobId]: { ...cur, ...capped(cur, merged) } } }));
  },

  resyncAll() {
    for (const jobId of Object.keys(get().byJob)) void get().open(jobId);
  },
}));

export function useJobLog(jobId: string): JobLog {
  return useLogs((s) => s.byJob[jobId] ?? EMPTY);
}
