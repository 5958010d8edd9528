/**
 * A study survives its core: killed with SIGKILL while trials train, a new core on the same data
 * directory picks the study up and completes its budget with no trial lost, stuck or duplicated;
 * and a core that died between a job's end and its trial's update, or between a trial's row and
 * its job, settles or links that trial on start.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { dataPaths } from '../../../src/core/paths';
import { openStore } from '../../../src/core/store';
import { tempDirPerTest } from '../../helpers/tmp';
import { coresPerTest, isAlive, startCoreProcess, until } from '../queue/harness';
import { importCo2, smallTrain, studyInput, waitForStudy } from './helpers';

const CORE = fileURLToPath(new URL('./study-core-process.ts', import.meta.url));
// After each test, hooks run last-registered first: the cores close before their data dirs are removed.
const tmp = tempDirPerTest();
const startCore = coresPerTest();

interface Announced {
  studyId: string;
  running: { number: number; jobId: string }[];
}

const startStudyProcess = (dataDir: string, trials: number) =>
  startCoreProcess<Announced>(CORE, { DATA_DIR: dataDir, TRIALS: String(trials), EPOCHS: '60' });

describe('a study across a crash of the app', () => {
  it('killed with SIGKILL mid-run and restarted, completes its budget: no trial lost, stuck or duplicated', async () => {
    const dir = tmp();
    const budget = 5;
    const first = await startStudyProcess(dir, budget);
    expect(first.running).toHaveLength(2);
    process.kill(first.pid, 'SIGKILL');
    await until(() => !isAlive(first.pid));

    const h = await startCore({ dataDir: dir, maxConcurrent: 2 });
    const { api } = h;
    const done = await waitForStudy(api, first.studyId);
    expect(done.status).toBe('completed');
    expect(done.counts).toEqual({ running: 0, completed: budget, pruned: 0, failed: 0 });

    const { trials, total } = await api.studies.trials({ id: first.studyId });
    expect(total).toBe(budget);
    expect(trials.map((x) => x.number)).toEqual([...Array(budget).keys()]);
    const jobIds = trials.map((x) => x.jobId);
    expect(new Set(jobIds).size).toBe(budget);
    // Every train job in the store belongs to exactly one trial: none submitted twice, none orphaned.
    const jobs = await api.jobs.list({ kind: 'train', limit: 100 });
    expect(jobs.map((j) => j.id).sort()).toEqual([...jobIds].sort());
    expect(jobs.every((j) => j.status === 'completed')).toBe(true);
    for (const trial of trials) {
      const steps = trial.intermediate.map((p) => p.step);
      expect(new Set(steps).size).toBe(steps.length);
      const run = await api.runs.get({ id: trial.runId! });
      expect(trial.value).toBe(run.summary.val_loss);
    }
    // The trials that were training keep their job: the queue re-queued it and it ran to the end.
    for (const r of first.running) {
      expect(trials[r.number].jobId).toBe(r.jobId);
      const timeline = await api.jobs.transitions({ id: r.jobId });
      expect(timeline.map((x) => `${x.from ?? '-'}>${x.to}`)).toContain('running>queued');
      expect(timeline.filter((x) => x.to === 'completed')).toHaveLength(1);
    }
  });

  it("on start, settles a trial whose job ended while the app was down, links a trial whose job id was never written, and cancels a pruned trial's re-queued job", async () => {
    const dir = tmp();
    let h = await startCore({ dataDir: dir });
    const datasetId = await importCo2(h.api);
    const s = await h.api.studies.create(studyInput(datasetId, { train: smallTrain(datasetId, 2), spec: { budget: { trials: 3 } } }));
    const before = await waitForStudy(h.api, s.id);
    expect(before.counts.completed).toBe(3);
    const original = (await h.api.studies.trials({ id: s.id })).trials;
    await h.close();

    // What a core killed at the wrong moment leaves: trial 0 pruned but its job re-queued by the
    // queue's crash recovery before the cancel landed; trial 1's job completed but the trial still
    // running; trial 2's row written, its job submitted, the link not yet written.
    const store = openStore(dataPaths(dir).db);
    await store.db.updateTable('trials').set({ state: 'pruned', value: null }).where('study_id', '=', s.id).where('number', '=', 0).execute();
    await store.db.updateTable('jobs').set({ status: 'queued', finished_at: null }).where('id', '=', original[0].jobId!).execute();
    await store.db.updateTable('studies').set({ status: 'running', finished_at: null, importance: null }).where('id', '=', s.id).execute();
    await store.db.updateTable('trials').set({ state: 'running', value: null, ended_at: null }).where('study_id', '=', s.id).where('number', '=', 1).execute();
    await store.db.updateTable('trials').set({ state: 'running', value: null, ended_at: null, job_id: null, run_id: null }).where('study_id', '=', s.id).where('number', '=', 2).execute();
    await store.close();

    h = await startCore({ dataDir: dir });
    const after = await waitForStudy(h.api, s.id);
    expect(after.status).toBe('completed');
    expect(after.counts).toEqual({ running: 0, completed: 2, pruned: 1, failed: 0 });
    const { trials } = await h.api.studies.trials({ id: s.id });
    expect(trials.map((x) => [x.number, x.jobId, x.value])).toEqual(original.map((x) => [x.number, x.jobId, x.number === 0 ? null : x.value]));
    expect((await h.api.jobs.list({ kind: 'train', limit: 100 })).length).toBe(3);
    const prunedJob = await h.waitFor(original[0].jobId!);
    expect(prunedJob.status).toBe('cancelled');
    expect((await h.api.jobs.transitions({ id: prunedJob.id })).at(-1)!.cause).toMatch(/pruned by the study/);
    expect((await h.api.studies.importance({ id: s.id })).length).toBe(2);
  });
});
