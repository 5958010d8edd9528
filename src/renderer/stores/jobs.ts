/**
 * All jobs, by id: loaded with jobs.list, kept live by 'job.updated' events merged by id.
 *
 * A queue of 10,000 jobs sends events in floods (a drain completes hundreds a second). Events are
 * therefore not applied one by one: `receive` collects them and one `set` per batch window applies
 * them all, so the table recomputes its rows once per window instead of once per event, and rows
 * whose job did not change keep their object (memoised rows skip rendering).
 *
 * The Jobs view's filter and sort live here too, so they survive switching views.
 */
import { create } from 'zustand';
import { PRIORITY_ORDER, type Job, type JobStatus, type JobTransition, type Priority } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

/** The most jobs the table holds: the contract's cap on one jobs.list. */
export const LIST_LIMIT = 20_000;
/** How long events are gathered before they are applied together. */
export const BATCH_MS = 100;

export type JobKindFilter = Job['kind'];
export type SortKey = 'status' | 'priority' | 'kind' | 'progress' | 'created' | 'id';
export interface JobSort {
  key: SortKey;
  desc: boolean;
}
export interface JobFilter {
  status: JobStatus | null;
  kind: JobKindFilter | null;
  priority: Priority | null;
}

export interface TransitionLog {
  list: JobTransition[];
  loading: boolean;
  error: string | null;
}

interface JobsState {
  byId: Record<string, Job>;
  loaded: boolean;
  loading: boolean;
  error: string | null;
  /** How many jobs the last list returned: equal to LIST_LIMIT when older ones were left out. */
  listed: number;
  filter: JobFilter;
  /** Words typed in the Jobs view's search box (see jobMatches). */
  search: string;
  sort: JobSort;
  /** Transition timelines of the jobs opened in the detail pane. */
  transitions: Record<string, TransitionLog>;
  load(): Promise<void>;
  /** Applies a job now (the answer of an action the user is waiting on). */
  upsert(job: Job): void;
  /** Queues a job from an event; applied with the others of its batch window. */
  receive(job: Job): void;
  /** Applies whatever `receive` has gathered, now. */
  flush(): void;
  /** Fetches one job the list does not hold (a deep link to an old job). */
  fetchOne(id: string): Promise<Job>;
  /**
   * Re-reads the waiting jobs for their effective priority: aging raises a job as time passes,
   * which no event announces. Only jobs still waiting here take the new value.
   */
  refreshQueued(): Promise<void>;
  setFilter(patch: Partial<JobFilter>): void;
  setSearch(search: string): void;
  /** Sorts by a column; the same column again flips the direction. */
  sortBy(key: SortKey): void;
  openTransitions(jobId: string): Promise<void>;
  receiveTransition(t: JobTransition): void;
}

/** Ids updated by events while a list request was in flight: those events are newer than the list. */
let touchedDuringLoad: Set<string> | null = null;
/** Jobs received and not yet applied, by id (a later event for the same job replaces the earlier). */
let pending = new Map<string, Job>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;
/** Called after each applied batch with the jobs whose status changed (the queue store refreshes its stats). */
const batchListeners = new Set<(changed: Job[]) => void>();

export function onJobsBatch(cb: (changed: Job[]) => void): () => void {
  batchListeners.add(cb);
  return () => batchListeners.delete(cb);
}

const EMPTY_TRANSITIONS: TransitionLog = { list: [], loading: false, error: null };

export const useJobs = create<JobsState>((set, get) => ({
  byId: {},
  loaded: false,
  loading: false,
  error: null,
  listed: 0,
  filter: { status: null, kind: null, priority: null },
  search: '',
  sort: { key: 'created', desc: true },
  transitions: {},

  async load() {
    // Events gathered before the request are older than its answer: apply them first.
    get().flush();
    set({ loading: true, error: null });
    const touched = new Set<string>();
    touchedDuringLoad = touched;
    try {
      const jobs = await api().jobs.list({ limit: LIST_LIMIT });
      get().flush();
      const current = get().byId;
      const byId: Record<string, Job> = {};
      for (const job of jobs) byId[job.id] = job;
      for (const id of touched) if (current[id]) byId[id] = current[id];
      // Keep jobs opened by id that fall outside the list's window.
      for (const [id, job] of Object.entries(current)) if (!byId[id] && !isActive(job.status)) byId[id] = job;
      set({ byId, loaded: true, loading: false, listed: jobs.length });
    } catch (err) {
      set({ loading: false, error: errorMessage(err) });
    } finally {
      if (touchedDuringLoad === touched) touchedDuringLoad = null;
    }
  },

  upsert(job) {
    // An action's answer is a snapshot taken when the core answered; an event may already have
    // brought a later state (a job created behind a finished dependency starts at once, and its
    // "running" event can arrive before the "queued" answer). A queued answer never overwrites a
    // job already seen past queued: only a crash puts a job back in the queue, and that comes as an event.
    const held = pending.get(job.id) ?? get().byId[job.id];
    if (!(job.status === 'queued' && held && held.status !== 'queued')) pending.set(job.id, job);
    get().flush();
  },

  receive(job) {
    pending.set(job.id, job);
    flushTimer ??= setTimeout(() => get().flush(), BATCH_MS);
  },

  flush() {
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
    if (pending.size === 0) return;
    const batch = pending;
    pending = new Map();
    const before = get().byId;
    const changed: Job[] = [];
    let byId: Record<string, Job> | null = null;
    for (const job of batch.values()) {
      touchedDuringLoad?.add(job.id);
      const prev = before[job.id];
      if (prev === job) continue;
      if (!prev || prev.status !== job.status) changed.push(job);
      byId ??= { ...before };
      byId[job.id] = job;
    }
    if (byId) set({ byId });
    if (changed.length > 0) for (const cb of batchListeners) cb(changed);
  },

  async fetchOne(id) {
    const job = await api().jobs.get({ id });
    if (!get().byId[id]) get().upsert(job);
    return job;
  },

  async refreshQueued() {
    let queued: Job[];
    try {
      queued = await api().jobs.list({ status: 'queued', limit: LIST_LIMIT });
    } catch {
      return; // the next refresh or event brings it; the list itself is not wrong meanwhile
    }
    get().flush();
    const byId = get().byId;
    for (const job of queued) {
      const held = byId[job.id];
      if (held?.status === 'queued' && held.effectivePriority !== job.effectivePriority) pending.set(job.id, job);
    }
    get().flush();
  },

  setFilter(patch) {
    set((s) => ({ filter: { ...s.filter, ...patch } }));
  },

  setSearch(search) {
    set({ search });
  },

  sortBy(key) {
    set((s) => ({ sort: s.sort.key === key ? { key, desc: !s.sort.desc } : { key, desc: DEFAULT_DESC[key] } }));
  },

  async openTransitions(jobId) {
    // Called again whenever the job's status changes: the core announces only a job's ends as
    // transition events, so the steps between (queued → running) are read back. Overlapping loads
    // are harmless: transitions merge by id.
    const before = get().transitions[jobId] ?? EMPTY_TRANSITIONS;
    set((s) => ({ transitions: { ...s.transitions, [jobId]: { ...before, loading: true, error: null } } }));
    try {
      const list = await api().jobs.transitions({ id: jobId });
      set((s) => {
        const cur = s.transitions[jobId] ?? EMPTY_TRANSITIONS;
        return { transitions: { ...s.transitions, [jobId]: { list: mergeTransitions(cur.list, list), loading: false, error: null } } };
      });
    } catch (err) {
      set((s) => ({
        transitions: {
          ...s.transitions,
          [jobId]: { ...(s.transitions[jobId] ?? EMPTY_TRANSITIONS), loading: false, error: errorMessage(err) },
        },
      }));
    }
  },

  receiveTransition(t) {
    const cur = get().transitions[t.jobId];
    if (!cur) return; // not open: loaded in full when the job is opened
    // The badge and the timeline tell one story: a transition to a status the held job has not
    // reached yet means its update is still on the way (or was lost): read the job again.
    const held = get().byId[t.jobId];
    if (held && held.status !== t.to) {
      void api()
        .jobs.get({ id: t.jobId })
        .then((job) => get().receive(job), () => undefined); // the next event brings it instead
    }
    const list = mergeTransitions(cur.list, [t]);
    if (list !== cur.list) set((s) => ({ transitions: { ...s.transitions, [t.jobId]: { ...cur, list } } }));
  },
}));

/** Newest first for times; for the others, the order a person reads first. */
const DEFAULT_DESC: Record<SortKey, boolean> = {
  status: false,
  priority: false,
  kind: false,
  progress: true,
  created: true,
  id: true,
};

export function isActive(status: JobStatus): boolean {
  return status === 'queued' || status === 'running';
}

/** Transitions merged by id, oldest first; the same array back when nothing is new. */
export function mergeTransitions(existing: JobTransition[], incoming: JobTransition[]): JobTransition[] {
  const fresh = incoming.filter((t) => !existing.some((e) => e.id === t.id));
  if (fresh.length === 0) return existing;
  return [...existing, ...fresh].sort((a, b) => a.ts - b.ts || a.id - b.id);
}

const byNewest = (a: Job, b: Job) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** Newest first (ids are sortable, so they break ties in creation time). */
export function sortJobs(byId: Record<string, Job>): Job[] {
  return Object.values(byId).sort(byNewest);
}

/** Running first, then waiting, then the ended ones. */
const STATUS_RANK: Record<JobStatus, number> = { running: 0, queued: 1, failed: 2, cancelled: 3, completed: 4 };

function sortValue(job: Job, key: SortKey): number | string {
  switch (key) {
    case 'status':
      return STATUS_RANK[job.status];
    case 'priority':
      // The scheduler's order: effective priority first, then the job's own.
      return PRIORITY_ORDER.indexOf(job.effectivePriority) * 10 + PRIORITY_ORDER.indexOf(job.priority);
    case 'kind':
      return job.kind;
    case 'progress':
      // Done ranks above a running job at 100% that has not yet reported its end.
      return job.status === 'completed' ? 2 : job.progress.fraction;
    case 'created':
      return job.createdAt;
    case 'id':
      return job.id;
  }
}

/** What a job is searched by: its id, what it trains (dataset, target, model, experiment), its study and trial, its label. */
export function jobSearchText(job: Job, datasetName?: string): string {
  const spec = job.spec;
  const parts = [job.id, job.kind, job.status, job.priority];
  if (spec.kind === 'train') parts.push(spec.datasetId, datasetName ?? '', spec.target, spec.model, spec.experiment);
  else if (spec.kind === 'command') parts.push(spec.name ?? '', spec.argv.join(' '), spec.experiment);
  else if (spec.label) parts.push(spec.label);
  if (spec.kind !== 'noop' && spec.trial) parts.push(spec.trial.study, `#${spec.trial.number}`, `trial ${spec.trial.number}`);
  return parts.join(' ').toLowerCase();
}

/** Every word of the search appears somewhere in what the job is searched by. */
export function jobMatches(job: Job, words: string[], datasetName?: string): boolean {
  if (words.length === 0) return true;
  const text = jobSearchText(job, datasetName);
  return words.every((w) => text.includes(w));
}

export function searchWords(search: string): string[] {
  return search.toLowerCase().split(/\s+/).filter(Boolean);
}

/** The rows the table shows: the filter and search applied, then sorted, with creation order breaking ties. */
export function selectJobRows(
  byId: Record<string, Job>,
  filter: JobFilter,
  sort: JobSort,
  search = '',
  datasetNames: Map<string, string> = new Map(),
): Job[] {
  const rows: Job[] = [];
  const words = searchWords(search);
  for (const job of Object.values(byId)) {
    if (filter.status && job.status !== filter.status) continue;
    if (filter.kind && job.kind !== filter.kind) continue;
    if (filter.priority && job.priority !== filter.priority) continue;
    if (words.length > 0 && !jobMatches(job, words, job.spec.kind === 'train' ? datasetNames.get(job.spec.datasetId) : undefined)) continue;
    rows.push(job);
  }
  const dir = sort.desc ? -1 : 1;
  const { key } = sort;
  return rows.sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va < vb) return -dir;
    if (va > vb) return dir;
    // Ties in creation order; for the time columns themselves, in the chosen direction.
    return key === 'created' || key === 'id' ? -dir * byNewest(a, b) : byNewest(a, b);
  });
}

/** Each held retry by the id of the job it retries, worked out once per version of the job map. */
const retriesCache = new WeakMap<Record<string, Job>, Map<string, string>>();
function retriesOf(byId: Record<string, Job>): Map<string, string> {
  let map = retriesCache.get(byId);
  if (!map) {
    map = new Map();
    for (const job of Object.values(byId)) if (job.retryOf && !map.has(job.retryOf)) map.set(job.retryOf, job.id);
    retriesCache.set(byId, map);
  }
  return map;
}

/**
 * The id of the job that retries this one, if the list holds it (a retry is newer than its
 * original, so the newest-first list holds it whenever it holds the original). The core refuses a
 * second retry; the UI does not offer one.
 */
export function useRetriedAs(jobId: string): string | null {
  return useJobs((s) => retriesOf(s.byId).get(jobId) ?? null);
}

export function useTransitions(jobId: string): TransitionLog {
  return useJobs((s) => s.transitions[jobId] ?? EMPTY_TRANSITIONS);
}

// ---------------------------------------------------------------------------------------------
// Actions: each answers with the job as the core now has it, applied at once.
// ---------------------------------------------------------------------------------------------

export async function cancelJob(id: string): Promise<Job> {
  const job = await api().jobs.cancel({ id });
  useJobs.getState().upsert(job);
  return job;
}

/** A retry is a new job linked to the original; it is returned so the caller can open it. */
export async function retryJob(id: string): Promise<Job> {
  const job = await api().jobs.retry({ id });
  useJobs.getState().upsert(job);
  return job;
}

export async function setJobPriority(id: string, priority: Priority): Promise<Job> {
  const job = await api().jobs.setPriority({ id, priority });
  useJobs.getState().upsert(job);
  return job;
}

/** ULIDs are 26 characters; anything shorter is taken for the short form. */
const FULL_ID_LENGTH = 26;

/**
 * The full ids of jobs a person typed: a full id as is, or the short form the UI shows (the id's
 * last characters, any case) when exactly one held job ends with it. Throws, naming the field,
 * when a short form matches no job or several.
 */
export function resolveJobRefs(refs: string[], byId: Record<string, Job>): string[] {
  const ids = Object.keys(byId);
  return refs.map((ref) => {
    if (byId[ref] || ref.length >= FULL_ID_LENGTH) return ref; // a full id: the core checks it exists
    const tail = ref.toUpperCase();
    const found = ids.filter((id) => id.toUpperCase().endsWith(tail));
    if (found.length === 1) return found[0];
    throw new InvalidInput(
      found.length === 0 ? `No job's id ends with ${ref}` : `${found.length} jobs' ids end with ${ref}: type more of the id`,
      'after',
    );
  });
}
