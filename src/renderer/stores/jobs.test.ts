import { afterEach, describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { Job, JobStatus, PRIORITY_ORDER, type Priority } from '../../shared/contract';
import type { Client } from '../../shared/rpc/client';
import { setClient } from '../api/client';
import { onJobsBatch, resolveJobRefs, selectJobRows, useJobs, type JobFilter, type SortKey } from './jobs';
import { shortId } from '../lib/format';
import { InvalidInput } from '../../shared/errors';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];

/** A job as the contract defines it (parsed, so a shape the core could not send fails here). */
function makeJob(rand: () => number, i: number): Job {
  const status = pick(rand, JobStatus.options);
  const priority = pick(rand, PRIORITY_ORDER);
  const createdAt = 1_700_000_000_000 + Math.floor(rand() * 50) * 1000; // many ties on purpose
  const kind = rand() < 0.5 ? 'noop' : 'train';
  return Job.parse({
    id: `01J${String(i).padStart(23, '0')}`,
    kind,
    status,
    priority,
    effectivePriority: status === 'queued' && priority === 'low' && rand() < 0.5 ? 'normal' : priority,
    spec: kind === 'noop' ? { kind, sleepMs: 0 } : { kind, datasetId: 'd1', target: 'y' },
    resources: {},
    retryPolicy: {},
    after: [],
    gpuIndices: [],
    runId: null,
    progress: { step: null, fraction: status === 'completed' ? 1 : Math.round(rand() * 100) / 100, etaMs: null },
    estimateMs: null,
    error: null,
    attempt: 1,
    retryOf: null,
    notBefore: null,
    createdAt,
    startedAt: null,
    finishedAt: null,
  });
}

const SORT_KEYS: SortKey[] = ['status', 'priority', 'kind', 'progress', 'created', 'id'];

describe('selectJobRows', () => {
  it('keeps exactly the jobs the filter admits, each once, in the order asked (many seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = prng(seed);
      const byId: Record<string, Job> = {};
      const n = 1 + Math.floor(rand() * 120);
      for (let i = 0; i < n; i++) {
        const job = makeJob(rand, i);
        byId[job.id] = job;
      }
      const filter: JobFilter = {
        status: rand() < 0.5 ? pick(rand, JobStatus.options) : null,
        kind: rand() < 0.3 ? pick(rand, ['train', 'noop'] as const) : null,
        priority: rand() < 0.5 ? pick(rand, PRIORITY_ORDER) : null,
      };
      const sort = { key: pick(rand, SORT_KEYS), desc: rand() < 0.5 };
      const rows = selectJobRows(byId, filter, sort);

      const admitted = Object.values(byId).filter(
        (j) =>
          (!filter.status || j.status === filter.status) &&
          (!filter.kind || j.kind === filter.kind) &&
          (!filter.priority || j.priority === filter.priority),
      );
      expect(new Set(rows.map((r) => r.id)), `seed ${seed}`).toEqual(new Set(admitted.map((j) => j.id)));
      expect(rows.length, `seed ${seed}`).toBe(admitted.length);

      // Adjacent rows never break the order: the key in the direction asked, then creation order.
      const rank = (j: Job): number | string =>
        sort.key === 'priority'
          ? PRIORITY_ORDER.indexOf(j.effectivePriority) * 10 + PRIORITY_ORDER.indexOf(j.priority)
          : sort.key === 'status'
            ? ['running', 'queued', 'failed', 'cancelled', 'completed'].indexOf(j.status)
            : sort.key === 'kind'
              ? j.kind
              : sort.key === 'progress'
                ? j.status === 'completed'
                  ? 2
                  : j.progress.fraction
                : sort.key === 'created'
                  ? j.createdAt
                  : j.id;
      for (let i = 1; i < rows.length; i++) {
        const a = rank(rows[i - 1]);
        const b = rank(rows[i]);
        if (sort.desc) expect(a >= b, `seed ${seed} row ${i}`).toBe(true);
        else expect(a <= b, `seed ${seed} row ${i}`).toBe(true);
        if (a === b && sort.key !== 'created' && sort.key !== 'id') {
          // Ties: newest first.
          const older = rows[i].createdAt < rows[i - 1].createdAt || (rows[i].createdAt === rows[i - 1].createdAt && rows[i].id < rows[i - 1].id);
          expect(older, `seed ${seed} tie at row ${i}`).toBe(true);
        }
      }
    }
  });

  it('sorts boosted jobs by the priority the scheduler uses', () => {
    const rand = prng(7);
    const low = { ...makeJob(rand, 1), status: 'queued' as const, priority: 'low' as Priority, effectivePriority: 'high' as Priority };
    const normal = { ...makeJob(rand, 2), status: 'queued' as const, priority: 'normal' as Priority, effectivePriority: 'normal' as Priority };
    const rows = selectJobRows({ [low.id]: low, [normal.id]: normal }, { status: null, kind: null, priority: null }, { key: 'priority', desc: false });
    expect(rows.map((r) => r.id)).toEqual([low.id, normal.id]);
  });
});

describe('job events are applied in batches', () => {
  afterEach(() => {
    useJobs.getState().flush();
    useJobs.setState({ byId: {} });
  });

  it('applies a flood of events in one store update, keeping the latest of each job', () => {
    const rand = prng(42);
    const jobs = Array.from({ length: 500 }, (_, i) => makeJob(rand, i));
    let updates = 0;
    const unsubscribe = useJobs.subscribe(() => updates++);
    const changedBatches: number[] = [];
    const offBatch = onJobsBatch((changed) => changedBatches.push(changed.length));
    try {
      // Every job arrives three times (queued → running → its final state), as a drain sends them.
      for (const status of ['queued', 'running'] as const) for (const j of jobs) useJobs.getState().receive({ ...j, status });
      for (const j of jobs) useJobs.getState().receive(j);
      expect(updates).toBe(0);
      expect(Object.keys(useJobs.getState().byId)).toHaveLength(0);

      useJobs.getState().flush();
      expect(updates).toBe(1);
      const byId = useJobs.getState().byId;
      expect(Object.keys(byId)).toHaveLength(jobs.length);
      for (const j of jobs) expect(byId[j.id]).toBe(j);
      expect(changedBatches).toEqual([jobs.length]);

      // An event that repeats the object already held changes nothing and notifies no one.
      useJobs.getState().receive(jobs[0]);
      useJobs.getState().flush();
      expect(updates).toBe(1);
      // Untouched jobs keep their object, so memoised rows skip rendering.
      const next = { ...jobs[1], progress: { ...jobs[1].progress, fraction: 0.5 } };
      useJobs.getState().receive(next);
      useJobs.getState().flush();
      expect(updates).toBe(2);
      expect(useJobs.getState().byId[jobs[2].id]).toBe(jobs[2]);
      expect(useJobs.getState().byId[jobs[1].id]).toBe(next);
      // A progress change is not a status change: the stats are not asked for again.
      expect(changedBatches).toEqual([jobs.length]);
    } finally {
      unsubscribe();
      offBatch();
    }
  });

  it('flushes on its own after the batch window', async () => {
    const job = makeJob(prng(3), 1);
    useJobs.getState().receive(job);
    expect(useJobs.getState().byId[job.id]).toBeUndefined();
    await expect.poll(() => useJobs.getState().byId[job.id], { interval: 20, timeout: 5000 }).toBe(job);
  });
});

describe('aging refresh', () => {
  afterEach(() => {
    setClient(null);
    useJobs.setState({ byId: {} });
  });

  it('takes a new effective priority only for jobs still waiting here', async () => {
    const rand = prng(11);
    const base = { status: 'queued' as const, priority: 'low' as Priority, effectivePriority: 'low' as Priority };
    const aged = { ...makeJob(rand, 1), ...base };
    const unchanged = { ...makeJob(rand, 2), ...base };
    const started = { ...makeJob(rand, 3), ...base, status: 'running' as const };
    useJobs.setState({ byId: { [aged.id]: aged, [unchanged.id]: unchanged, [started.id]: started } });

    // What the core answers: the first job boosted by aging; the started one as it was when listed.
    const answer = [
      { ...aged, effectivePriority: 'normal' as Priority },
      { ...unchanged },
      { ...started, status: 'queued' as const, effectivePriority: 'normal' as Priority },
    ];
    let asked: unknown = null;
    const api = { jobs: { list: async (input: unknown) => ((asked = input), answer) } };
    setClient({ api } as unknown as Client);

    await useJobs.getState().refreshQueued();
    const byId = useJobs.getState().byId;
    expect(asked).toMatchObject({ status: 'queued' });
    expect(byId[aged.id].effectivePriority).toBe('normal');
    expect(byId[unchanged.id]).toBe(unchanged);
    expect(byId[started.id]).toBe(started);
  });
});

describe('job references typed by a person', () => {
  it('turns the short ids the UI shows into full ids, and refuses what is unknown or ambiguous', () => {
    const rand = prng(5);
    const jobs = Array.from({ length: 40 }, (_, i) => makeJob(rand, i * 7919));
    const byId = Object.fromEntries(jobs.map((j) => [j.id, j]));
    for (const j of jobs) {
      expect(resolveJobRefs([shortId(j.id)], byId)).toEqual([j.id]);
      expect(resolveJobRefs([j.id], byId)).toEqual([j.id]);
    }
    // A full id the renderer does not hold goes to the core as typed: the core says whether it exists.
    const unknownFull = '01J99999999999999999999999';
    expect(resolveJobRefs([unknownFull], byId)).toEqual([unknownFull]);
    expect(() => resolveJobRefs(['zzzzzz'], byId)).toThrow(InvalidInput);
    // The last character alone matches several jobs here.
    const last = jobs[0].id.slice(-1);
    const matching = jobs.filter((j) => j.id.endsWith(last)).length;
    if (matching > 1) expect(() => resolveJobRefs([last], byId)).toThrow(/type more/);
    else expect(resolveJobRefs([last], byId)).toEqual([jobs[0].id]);
  });
});

describe('the jobs search and action answers', () => {
  afterEach(() => useJobs.setState({ byId: {} }));

  it('finds jobs by every word typed, in their id, dataset name, target, model, study and label', () => {
    const rand = prng(3);
    const train = { ...makeJob(rand, 1), status: 'completed' as const, spec: { kind: 'train' as const, datasetId: 'd1', target: 'CO2', model: 'mlp' as const, params: {}, experiment: 'tune', exogenous: [], trial: { studyId: 's1', study: 'tune-co2', number: 4 } } };
    const noop = { ...makeJob(rand, 2), status: 'queued' as const, spec: { kind: 'noop' as const, sleepMs: 0, label: 'warm the pool' } };
    const byId = { [train.id]: train, [noop.id]: noop };
    const sort = { key: 'created' as const, desc: true };
    const filter: JobFilter = { status: null, kind: null, priority: null };
    const ids = (search: string) => selectJobRows(byId, filter, sort, search, new Map([['d1', 'mauna-loa']])).map((j) => j.id);
    expect(ids('mauna co2')).toEqual([train.id]);
    expect(ids('tune-co2 #4')).toEqual([train.id]);
    expect(ids('WARM pool')).toEqual([noop.id]);
    expect(ids(shortId(noop.id))).toEqual([noop.id]);
    expect(ids('mlp pool')).toEqual([]);
    expect(ids('  ')).toHaveLength(2);
  });

  it('keeps a job seen running when an older "queued" answer arrives after its event', () => {
    const rand = prng(4);
    const queued = { ...makeJob(rand, 7), status: 'queued' as const };
    const running = { ...queued, status: 'running' as const, startedAt: queued.createdAt + 10 };
    useJobs.getState().receive(running); // the event, still in its batch window
    useJobs.getState().upsert(queued); // the create's answer, taken before the job started
    expect(useJobs.getState().byId[queued.id].status).toBe('running');
    const cancelled = { ...running, status: 'cancelled' as const };
    useJobs.getState().upsert(cancelled);
    expect(useJobs.getState().byId[queued.id].status).toBe('cancelled');
  });
});
