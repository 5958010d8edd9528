/**
 * Runs: the Runs table (a query, a sort and pages fetched as they scroll into view), the selection
 * that goes to Compare, single runs opened from a job or the table, and the comparison itself.
 *
 * The table never holds more than the pages it was asked for: with 10,000 runs it fetches the
 * 200-row pages under the viewport, so the first screen costs one request whatever the total.
 */
import { create } from 'zustand';
import type { Experiment, MetricSeries, Run, RunComparison, RunExport, RunKeys, RunMetricEvent } from '../../shared/contract';
import { TrainyardError } from '../../shared/errors';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { lowerIsBetter } from '../components/model-data';

export const PAGE_SIZE = 200;
/** Compare asks the core for at most this many points per series: enough for a chart's width. */
export const COMPARE_MAX_POINTS = 1000;
export const COMPARE_MAX_RUNS = 20;

export type SortOrder = 'asc' | 'desc';
export interface RunSortState {
  key: string;
  order: SortOrder;
}

/** A query the core refused: its message and, for a syntax error, the 0-based position it points at. */
export interface QueryError {
  message: string;
  position: number | null;
}

export interface CompareState {
  ids: string[];
  data: RunComparison | null;
  /** Each run's series, downsampled by the core, by run id. */
  series: Record<string, MetricSeries[]>;
  loading: boolean;
  error: string | null;
}

interface RunsState {
  // ----- the table -----
  query: string;
  experiment: string | null;
  includeArchived: boolean;
  sort: RunSortState;
  /** Rows by page index; a page absent is not fetched yet. */
  pages: Record<number, Run[]>;
  total: number;
  listLoaded: boolean;
  listError: string | null;
  queryError: QueryError | null;
  keys: RunKeys;
  experiments: Experiment[];
  /** Selected run ids, in the order they were picked (Compare keeps it). */
  selected: string[];

  // ----- single runs -----
  byId: Record<string, Run>;
  errors: Record<string, string>;

  compare: CompareState;

  /** Reloads the table keeping what is on screen until the new pages arrive. */
  loadList(): Promise<void>;
  /** Fetches the pages that cover rows [start, end) unless they are held or in flight. */
  ensureRange(start: number, end: number): void;
  setQuery(query: string): void;
  setSort(key: string): void;
  setExperiment(experiment: string | null): void;
  setIncludeArchived(include: boolean): void;
  loadKeys(): Promise<void>;
  toggleSelected(id: string): void;
  setSelected(ids: string[]): void;
  setArchived(ids: string[], archived: boolean): Promise<void>;
  deleteRuns(ids: string[]): Promise<{ deleted: number; freedBytes: number }>;
  exportRuns(format: 'csv' | 'json'): Promise<RunExport>;

  loadRun(id: string): Promise<void>;
  /** Saves tags, note or archived for one run; errors are thrown for the caller to show. */
  updateRun(change: { id: string; tags?: Record<string, string>; note?: string | null; archived?: boolean }): Promise<Run>;
  /** A live metric keeps an opened run's summary (latest value per key) current. */
  applyMetric(ev: RunMetricEvent): void;

  loadCompare(ids: string[]): Promise<void>;
}

/**
 * The order of a column's first click: a metric best first (ascending for errors such as RMSE,
 * descending for scores such as R²), anything else newest or largest first. A second click flips it.
 */
export function firstSortOrder(key: string): SortOrder {
  if (key.startsWith('metrics.')) return lowerIsBetter(key) ? 'asc' : 'desc';
  return 'desc';
}

/** Bumped whenever what the table shows changes (query, sort, filters): answers to older requests are dropped. */
let generation = 0;
const inFlight = new Set<string>();

/**
 * Reads the position out of the core's message for a query it could not parse ("Query syntax
 * error at column 17: ..." with the query and a caret drawn below), so the search box can point at
 * it in its own font. Columns are 1-based; "position" and "offset" are taken as 0-based.
 */
export function toQueryError(err: unknown): QueryError {
  // The box it sits under says it is about the query; no `query:` prefix, and the first line only:
  // the caret drawing that follows is redrawn under the box.
  const full = err instanceof TrainyardError ? err.message : errorMessage(err);
  const message = full.split('\n')[0].trim();
  const m = /\b(column|col|position|pos|offset|character|char)\.?\s*:?\s*(\d+)/i.exec(message);
  if (!m) return { message, position: null };
  const oneBased = /^col/i.test(m[1]);
  return { message, position: Math.max(0, Number(m[2]) - (oneBased ? 1 : 0)) };
}

/** An error about the query itself (as opposed to a dropped connection): shown under the search box. */
function isQueryError(err: unknown): boolean {
  return err instanceof TrainyardError && err.code === 'InvalidInput' && (!err.field || err.field.startsWith('query'));
}

const EMPTY_KEYS: RunKeys = { params: [], metrics: [], tags: [] };
const EMPTY_COMPARE: CompareState = { ids: [], data: null, series: {}, loading: false, error: null };

export const useRuns = create<RunsState>((set, get) => {
  function listInput(offset: number, limit: number) {
    const s = get();
    return {
      query: s.query,
      ...(s.experiment ? { experiment: s.experiment } : {}),
      includeArchived: s.includeArchived,
      sort: s.sort,
      offset,
      limit,
    };
  }

  async function fetchPage(page: number, gen: number): Promise<void> {
    const key = `${gen}:${page}`;
    if (inFlight.has(key)) return;
    inFlight.add(key);
    try {
      const { runs, total } = await api().runs.list(listInput(page * PAGE_SIZE, PAGE_SIZE));
      if (gen !== generation) return;
      set((s) => ({ pages: { ...s.pages, [page]: runs }, total, listLoaded: true, listError: null, queryError: null }));
    } catch (err) {
      if (gen !== generation) return;
      if (isQueryError(err)) set({ queryError: toQueryError(err), pages: {}, total: 0, listLoaded: true, listError: null });
      else set({ listError: errorMessage(err) });
    } finally {
      inFlight.delete(key);
    }
  }

  /** Starts over after a change of query, sort or filter. */
  function restart(): Promise<void> {
    generation++;
    set({ pages: {}, total: 0, listLoaded: false });
    return fetchPage(0, generation);
  }

  /** Replaces the run in every place it is held, so an edit shows in the table and the detail at once. */
  function replaceRun(run: Run) {
    set((s) => {
      const pages: Record<number, Run[]> = {};
      for (const [p, rows] of Object.entries(s.pages)) pages[Number(p)] = rows.map((r) => (r.id === run.id ? run : r));
      return { pages, byId: { ...s.byId, [run.id]: run } };
    });
  }

  return {
    query: '',
    experiment: null,
    includeArchived: false,
    sort: { key: 'created', order: 'desc' },
    pages: {},
    total: 0,
    listLoaded: false,
    listError: null,
    queryError: null,
    keys: EMPTY_KEYS,
    experiments: [],
    selected: [],
    byId: {},
    errors: {},
    compare: EMPTY_COMPARE,

    async loadList() {
      // Keep the pages on screen while they reload; a page that no longer exists empties on arrival.
      generation++;
      const gen = generation;
      const held = Object.keys(get().pages).map(Number);
      await Promise.all((held.length ? held : [0]).map((p) => fetchPage(p, gen)));
      if (gen === generation) {
        const last = Math.max(0, Math.ceil(get().total / PAGE_SIZE) - 1);
        set((s) => {
          const pages = { ...s.pages };
          for (const p of Object.keys(pages).map(Number)) if (p > last) delete pages[p];
          return { pages };
        });
      }
      void get().loadKeys();
    },

    ensureRange(start, end) {
      const { pages, total, listLoaded } = get();
      if (!listLoaded) return;
      const last = Math.min(end, total) - 1;
      for (let p = Math.floor(Math.max(0, start) / PAGE_SIZE); p <= Math.floor(last / PAGE_SIZE); p++) {
        if (!pages[p]) void fetchPage(p, generation);
      }
    },

    setQuery(query) {
      // Searching again for the same thing refreshes what is on screen.
      if (query === get().query && !get().queryError) {
        void get().loadList();
        return;
      }
      // A new search shows other runs: a selection it hides would still drive Compare, Archive and Delete.
      set({ query, selected: [] });
      void restart();
    },

    setSort(key) {
      const cur = get().sort;
      const order: SortOrder = cur.key === key ? (cur.order === 'desc' ? 'asc' : 'desc') : firstSortOrder(key);
      set({ sort: { key, order } });
      void restart();
    },

    setExperiment(experiment) {
      set({ experiment, selected: [] });
      void restart();
    },

    setIncludeArchived(includeArchived) {
      set({ includeArchived, selected: [] });
      void restart();
    },

    async loadKeys() {
      try {
        const [keys, experiments] = await Promise.all([api().runs.keys({}), api().runs.experiments({})]);
        set({ keys, experiments });
      } catch {
        // The column picker and the experiment filter offer what they know; the table still works.
      }
    },

    toggleSelected(id) {
      set((s) => ({ selected: s.selected.includes(id) ? s.selected.filter((x) => x !== id) : [...s.selected, id] }));
    },

    setSelected(ids) {
      set({ selected: [...new Set(ids)] });
    },

    async setArchived(ids, archived) {
      for (const id of ids) replaceRun(await api().runs.update({ id, archived }));
      // Archived runs leave the table unless archived ones are shown: they leave the selection too.
      if (archived && !get().includeArchived) set((s) => ({ selected: s.selected.filter((id) => !ids.includes(id)) }));
      await get().loadList();
    },

    async deleteRuns(ids) {
      const result = await api().runs.delete({ ids });
      set((s) => {
        const byId = { ...s.byId };
        for (const id of ids) delete byId[id];
        return { byId, selected: s.selected.filter((id) => !ids.includes(id)) };
      });
      await get().loadList();
      return result;
    },

    exportRuns(format) {
      const s = get();
      return api().runs.export({
        query: s.query,
        ...(s.experiment ? { experiment: s.experiment } : {}),
        includeArchived: s.includeArchived,
        format,
      });
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

    async updateRun(change) {
      const run = await api().runs.update(change);
      replaceRun(run);
      return run;
    },

    applyMetric(ev) {
      const run = get().byId[ev.runId];
      if (!run || run.summary[ev.key] === ev.value) return;
      set((s) => ({ byId: { ...s.byId, [ev.runId]: { ...run, summary: { ...run.summary, [ev.key]: ev.value } } } }));
    },

    async loadCompare(ids) {
      set({ compare: { ...EMPTY_COMPARE, ids, loading: true } });
      const stale = () => get().compare.ids !== ids;
      try {
        const [data, ...series] = await Promise.all([
          api().runs.compare({ ids }),
          ...ids.map((id) => api().runs.metrics({ id, maxPoints: COMPARE_MAX_POINTS })),
        ]);
        if (stale()) return;
        set({ compare: { ids, data, series: Object.fromEntries(ids.map((id, i) => [id, series[i]])), loading: false, error: null } });
      } catch (err) {
        if (stale()) return;
        set({ compare: { ...EMPTY_COMPARE, ids, error: errorMessage(err) } });
      }
    },
  };
});

/** The rows held so far, in table order, with the index each sits at. */
export function rowAt(pages: Record<number, Run[]>, index: number): Run | undefined {
  return pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE];
}

/** `#/compare/<id>,<id>`: the route id Compare reads its runs from. */
export function compareRouteId(ids: string[]): string {
  return ids.join(',');
}

export function parseCompareRouteId(id: string | null): string[] {
  return id ? [...new Set(id.split(',').map((s) => s.trim()).filter(Boolean))] : [];
}
