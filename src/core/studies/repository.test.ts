import { afterEach, describe, expect, it } from 'vitest';
import { StudySpec, TrainSpec } from '../../shared/contract';
import { tempDir } from '../../../test/helpers/tmp';
import { openStore, type Store } from '../store';
import { StudyRepository, type StoredStudy, type StoredTrial } from './repository';

let store: Store | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await store?.close();
  cleanup?.();
  store = undefined;
});

function open(): StudyRepository {
  const t = tempDir();
  cleanup = t.cleanup;
  store = openStore(`${t.dir}/trainyard.db`);
  return new StudyRepository(store.db);
}

const study = (id: string, direction: 'minimize' | 'maximize' = 'minimize'): StoredStudy => ({
  id,
  name: `study ${id}`,
  status: 'running',
  spec: StudySpec.parse({ name: `study ${id}`, objective: { metric: 'val_loss', direction }, space: { x: { type: 'float', low: 0, high: 1 } }, budget: { trials: 10 } }),
  train: TrainSpec.parse({ kind: 'train', datasetId: 'd', target: 'y' }),
  priority: 'normal',
  pending: [{ x: 0.5 }],
  importance: null,
  createdAt: 1000,
  finishedAt: null,
  failureReason: null,
});

const trial = (studyId: string, number: number, state: StoredTrial['status'], value: number | null): StoredTrial => ({
  id: `${studyId}-${number}`,
  studyId,
  number,
  status: state,
  params: { x: number / 10 },
  value,
  intermediate: [],
  jobId: null,
  runId: null,
  error: null,
  startedAt: 1000 + number,
  finishedAt: null,
});

describe('the studies repository', () => {
  it('round-trips a study and its trials, counts by state and finds the best in either direction', async () => {
    const repo = open();
    await repo.insertStudy(study('a'));
    await repo.insertStudy(study('b', 'maximize'));
    for (const [i, [state, value]] of ([['completed', 3], ['completed', 1], ['pruned', null], ['failed', null], ['running', null], ['completed', 1]] as const).entries()) {
      await repo.insertTrial(trial('a', i, state, value));
      await repo.insertTrial(trial('b', i, state, value));
    }
    expect(await repo.study('a')).toEqual(study('a'));
    expect(await repo.counts('a')).toEqual({ running: 1, completed: 3, pruned: 1, failed: 1 });
    expect(await repo.trialCount('a')).toBe(6);
    // The earliest among equal values.
    expect((await repo.best('a', 'minimize'))?.number).toBe(1);
    expect((await repo.best('b', 'maximize'))?.number).toBe(0);
    expect((await repo.trials('a', 2, 2)).map((t) => t.number)).toEqual([2, 3]);
    expect((await repo.studies('running')).map((s) => s.id).sort()).toEqual(['a', 'b']);
  });

  it('changes a trial only while it is in the expected state', async () => {
    const repo = open();
    await repo.insertStudy(study('a'));
    await repo.insertTrial(trial('a', 0, 'running', null));
    const pruned = await repo.updateTrial('a-0', { status: 'pruned', finishedAt: 5 }, 'running');
    expect(pruned).toMatchObject({ status: 'pruned', finishedAt: 5 });
    // The job's end arriving after the prune does not turn the trial completed.
    expect(await repo.updateTrial('a-0', { status: 'completed', value: 1 }, 'running')).toBeUndefined();
    expect((await repo.trial('a-0'))?.status).toBe('pruned');
    expect(await repo.updateStudy('a', { status: 'cancelled' }, 'running')).toBe(true);
    expect(await repo.updateStudy('a', { status: 'completed' }, 'running')).toBe(false);
  });

  it('refuses a second trial with the same number and a trial in an unknown state', async () => {
    const repo = open();
    await repo.insertStudy(study('a'));
    await repo.insertTrial(trial('a', 0, 'running', null));
    await expect(repo.insertTrial({ ...trial('a', 0, 'running', null), id: 'other' })).rejects.toThrow(/UNIQUE/);
    await expect(repo.insertTrial({ ...trial('a', 1, 'running', null), status: 'stuck' as never })).rejects.toThrow(/CHECK/);
  });
});
