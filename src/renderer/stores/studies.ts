/**
 * Studies and the trials of the one open on screen. The list is loaded with studies.list and kept
 * live by 'study.updated'; the open study's trials are loaded in pages of studies.trials and kept
 * live by 'trial.updated'.
 *
 * A study with parallel trials sends an event per trial per epoch. Events are not applied one by
 * one: they are gathered and applied together once per batch window, so the charts recompute their
 * data a few times a second at most, however fast the trials report. Parameter importance is
 * re-read (debounced) when a trial ends, since the core recomputes it then.
 */
import { create } from 'zustand';
import type { ParamValue, StudyCreateInput, StudySummary, StudyTrial } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';

/** How long events are gathered before they are applied together. */
export const STUDY_BATCH_MS = 250;
/** Trials per studies.trials request (the contract allows up to 20,000). */
export const TRIALS_PAGE = 5000;
/** How long after a trial ends the importance is re-read; more endings in the meantime wait with it. */
const IMPORTANCE_DEBOUNCE_MS = 1500;

export interface ImportanceRow {
  param: string;
  importance: number;
}

interface StudiesState {
  byId: Record<string, StudySummary>;
  loaded: boolean;
  error: string | null;
  /** The study whose trials are held. */
  openId: string | null;
  trials: StudyTrial[];
  trialsTotal: number;
  trialsLoaded: boolean;
  trialsError: string | null;
  importance: ImportanceRow[];
  importanceError: string | null;
  loadList(): Promise<void>;
  /** Fetches one study (a deep link to a study the list does not hold yet). */
  loadOne(id: string): Promise<void>;
  /** Holds this study's trials (and drops another's), loading them and its importance. */
  open(id: string): Promise<void>;
  close(): void;
  loadImportance(): Promise<void>;
  /** Creates a study and holds it; errors are thrown for the form to show beside its fields. */
  create(input: StudyCreateInput): Promise<StudySummary>;
  cancel(id: string): Promise<StudySummary>;
  /** Warm start: a trial with these params, run before the sampler's next proposals. */
  enqueue(id: string, params: Record<string, ParamValue>): Promise<StudySummary>;
  /** Applies a study now (the answer of an action the user waits on). */
  upsert(study: StudySummary): void;
  receiveStudy(study: StudySummary): void;
  receiveTrial(trial: StudyTrial): void;
  /** Applies whatever the receivers gathered, now. */
  flush(): void;
}

let pendingStudies = new Map<string, StudySummary>();
let pendingTrials = new Map<string, StudyTrial>();
let flushTimer: ReturnType<typeof setTimeout> | null = null;
let importanceTimer: ReturnType<typeof setTimeout> | null = null;
/** Bumped on each open, so an answer for a study no longer open is dropped. */
let openGeneration = 0;

function scheduleFlush(flush: () => void): void {
  if (flushTimer === null) flushTimer = setTimeout(flush, STUDY_BATCH_MS);
}

const byNumber = (a: StudyTrial, b: StudyTrial) => a.number - b.number;

/**
 * Merges updated trials into a list sorted by number; the list is replaced, untouched trials keep
 * their objects. `ended` says whether an update brought a trial to an end state it did not have.
 */
export function mergeTrials(
  current: readonly StudyTrial[],
  updates: Iterable<StudyTrial>,
): { trials: StudyTrial[]; added: number; ended: boolean } {
  const index = new Map(current.map((t, i) => [t.id, i]));
  const trials = current.slice();
  let added = 0;
  let unsorted = false;
  let ended = false;
  for (const t of updates) {
    const i = index.get(t.id);
    if (t.status !== 'running' && (i === undefined || i >= current.length || current[i].status !== t.status)) ended = true;
    if (i !== undefined) trials[i] = t;
    else {
      if (trials.length > 0 && trials[trials.length - 1].number > t.number) unsorted = true;
      index.set(t.id, trials.length);
      trials.push(t);
      added++;
    }
  }
  if (unsorted) trials.sort(byNumber);
  return { trials, added, ended };
}

export const useStudies = create<StudiesState>((set, get) => ({
  byId: {},
  loaded: false,
  error: null,
  openId: null,
  trials: [],
  trialsTotal: 0,
  trialsLoaded: false,
  trialsError: null,
  importance: [],
  importanceError: null,

  async loadList() {
    get().flush();
    try {
      const list = await api().studies.list({});
      get().flush();
      const byId: Record<string, StudySummary> = {};
      for (const s of list) byId[s.id] = s;
      set({ byId, loaded: true, error: null });
    } catch (err) {
      set({ loaded: true, error: errorMessage(err) });
    }
  },

  async loadOne(id) {
    try {
      get().upsert(await api().studies.get({ id }));
    } catch (err) {
      if (get().openId === id) set({ trialsError: errorMessage(err) });
    }
  },

  async open(id) {
    const generation = ++openGeneration;
    // Trial events for the study gathered before its trials load are older than the answer.
    pendingTrials = new Map();
    set({ openId: id, trials: [], trialsTotal: 0, trialsLoaded: false, trialsError: null, importance: [], importanceError: null });
    if (!get().byId[id]) void get().loadOne(id);
    try {
      let trials: StudyTrial[] = [];
      let total = 0;
      // Page through: a study may hold more trials than one answer carries.
      for (let offset = 0; ; ) {
        const page = await api().studies.trials({ id, offset, limit: TRIALS_PAGE });
        if (generation !== openGeneration) return;
        trials = trials.concat(page.trials);
        total = page.total;
        offset += page.trials.length;
        if (page.trials.length === 0 || offset >= total) break;
      }
      // Events that arrived while the pages loaded are newer than them.
      const merged = mergeTrials(trials.sort(byNumber), pendingTrials.values());
      pendingTrials = new Map();
      set({ trials: merged.trials, trialsTotal: Math.max(total, merged.trials.length), trialsLoaded: true });
    } catch (err) {
      if (generation === openGeneration) set({ trialsLoaded: true, trialsError: errorMessage(err) });
    }
    void get().loadImportance();
  },

  close() {
    openGeneration++;
    pendingTrials = new Map();
    // Apply what studies gathered and stop the window: nothing of the closed study is left to land.
    get().flush();
    set({ openId: null, trials: [], trialsTotal: 0, trialsLoaded: false, trialsError: null, importance: [], importanceError: null });
  },

  async loadImportance() {
    const id = get().openId;
    if (!id) return;
    try {
      const importance = await api().studies.importance({ id });
      if (get().openId === id) set({ importance: [...importance].sort((a, b) => b.importance - a.importance), importanceError: null });
    } catch (err) {
      if (get().openId === id) set({ importanceError: errorMessage(err) });
    }
  },

  async create(input) {
    const study = await api().studies.create(input);
    get().upsert(study);
    return study;
  },

  async enqueue(id, params) {
    const study = await api().studies.enqueue({ id, params });
    get().upsert(study);
    return study;
  },

  async cancel(id) {
    const study = await api().studies.cancel({ id });
    get().upsert(study);
    return study;
  },

  upsert(study) {
    pendingStudies.delete(study.id);
    set({ byId: { ...get().byId, [study.id]: study } });
  },

  receiveStudy(study) {
    pendingStudies.set(study.id, study);
    scheduleFlush(() => get().flush());
  },

  receiveTrial(trial) {
    if (trial.studyId !== get().openId) return;
    pendingTrials.set(trial.id, trial);
    scheduleFlush(() => get().flush());
  },

  flush() {
    if (flushTimer !== null) {
      clearTimeout(flushTimer);
      flushTimer = null;
    }
    const patch: Partial<StudiesState> = {};
    if (pendingStudies.size > 0) {
      patch.byId = { ...get().byId };
      for (const s of pendingStudies.values()) patch.byId[s.id] = s;
      pendingStudies = new Map();
    }
    const state = get();
    let ended = false;
    // Trials wait for their study's first page: merging into an empty list would be thrown away by it.
    if (pendingTrials.size > 0 && state.trialsLoaded) {
      const merged = mergeTrials(state.trials, pendingTrials.values());
      pendingTrials = new Map();
      patch.trials = merged.trials;
      patch.trialsTotal = state.trialsTotal + merged.added;
      ended = merged.ended;
    }
    if (Object.keys(patch).length > 0) set(patch);
    if (ended) {
      if (importanceTimer !== null) clearTimeout(importanceTimer);
      importanceTimer = setTimeout(() => {
        importanceTimer = null;
        void get().loadImportance();
      }, IMPORTANCE_DEBOUNCE_MS);
    }
  },
}));

/** Studies newest first. */
export function studyRows(byId: Record<string, StudySummary>): StudySummary[] {
  return Object.values(byId).sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1));
}
