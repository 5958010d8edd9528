/**
 * Studies through a real core: trials run as real training jobs on the bundled CO2 sample in real
 * worker processes, their values come from the runs the pipeline records, and the store keeps it all.
 */
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import type { StudySummary, StudyTrial } from '../../../src/shared/contract';
import { coresPerTest } from '../queue/harness';
import { importCo2, smallTrain, studyInput, waitForStudy } from './helpers';

const startCore = coresPerTest();

describe('a study', () => {
  it('runs its trials as jobs through the queue, warm start first, to its trial budget', async () => {
    const h = await startCore({ maxConcurrent: 2 });
    const { api } = h;
    const studyEvents: StudySummary[] = [];
    const trialEvents: StudyTrial[] = [];
    h.core.events.on('study.updated', (s) => studyEvents.push(s));
    h.core.events.on('trial.updated', (t) => trialEvents.push(t));
    const datasetId = await importCo2(api);
    const warm = { learningRate: 0.01, hiddenUnits: 8 };
    const created = await api.studies.create(studyInput(datasetId, { priority: 'high', enqueue: [warm], spec: { parallelism: 2, seed: 7 } }));
    expect(created.status).toBe('running');
    expect(created.counts.running).toBe(2);

    const done = await waitForStudy(api, created.id);
    expect(done.status).toBe('completed');
    expect(done.counts).toEqual({ running: 0, completed: 3, pruned: 0, failed: 0 });
    const { trials, total } = await api.studies.trials({ id: created.id });
    expect(total).toBe(3);
    expect(trials.map((t) => t.number)).toEqual([0, 1, 2]);
    expect(trials[0].params).toEqual(warm);
    for (const t of trials) {
      expect(t.status).toBe('completed');
      const job = await api.jobs.get({ id: t.jobId! });
      expect(job.priority).toBe('high');
      expect(job.spec.kind === 'train' && job.spec.experiment).toBe('co2-study');
      expect(job.spec.kind === 'train' && job.spec.params).toMatchObject({ ...t.params, epochs: 3, window: 6 });
      const run = await api.runs.get({ id: t.runId! });
      expect(run.jobId).toBe(t.jobId);
      expect(t.value).toBe(run.summary.val_loss);
      // One intermediate value per epoch, the run's own val_loss series.
      const series = await api.runs.metrics({ id: t.runId!, keys: ['val_loss'] });
      expect(t.intermediate.map((p) => p.value)).toEqual(series[0].points.map((p) => p.value));
      expect(t.intermediate).toHaveLength(3);
    }
    const best = trials.reduce((a, b) => (b.value! < a.value! ? b : a));
    expect(done.best).toEqual({ number: best.number, value: best.value, params: best.params });
    // Sampled trials lie in the space.
    for (const t of trials.slice(1)) {
      expect(t.params.learningRate).toBeGreaterThanOrEqual(1e-3);
      expect(t.params.learningRate).toBeLessThanOrEqual(3e-2);
      expect(Number.isInteger(t.params.hiddenUnits) && (t.params.hiddenUnits as number) >= 4 && (t.params.hiddenUnits as number) <= 16).toBe(true);
    }

    const importance = await api.studies.importance({ id: created.id });
    expect(importance.map((r) => r.param).sort()).toEqual(['hiddenUnits', 'learningRate']);
    expect(importance.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 6);

    expect(studyEvents.at(-1)).toMatchObject({ id: created.id, status: 'completed' });
    for (const t of trials) expect(trialEvents.filter((e) => e.id === t.id).at(-1)).toEqual(t);

    const csv = await api.studies.export({ id: created.id, format: 'csv' });
    const rows = Papa.parse<Record<string, string>>(csv.text.trim(), { header: true }).data;
    expect(csv.count).toBe(3);
    expect(Object.keys(rows[0])).toEqual(expect.arrayContaining(['number', 'status', 'value', 'params.learningRate', 'params.hiddenUnits']));
    expect(rows.map((r) => Number(r['params.learningRate']))).toEqual(trials.map((t) => t.params.learningRate));
    expect(rows.map((r) => Number(r.value))).toEqual(trials.map((t) => t.value));
    const json = JSON.parse((await api.studies.export({ id: created.id, format: 'json' })).text) as { trials: { params: Record<string, unknown>; value: number }[] };
    expect(json.trials.map((r) => r.params)).toEqual(trials.map((t) => t.params));
  });

  it('refuses an invalid space, a value the model refuses, and warm-start params outside the space, naming the parameter', async () => {
    const h = await startCore();
    const { api } = h;
    const datasetId = await importCo2(api);
    const refusal = (p: Promise<unknown>) => p.then(() => null, (err: { code: string; field?: string }) => ({ code: err.code, field: err.field }));
    expect(await refusal(api.studies.create(studyInput(datasetId, { spec: { space: { learningRate: { type: 'float', low: 0.1, high: 0.01 } } } })))).toEqual({ code: 'InvalidInput', field: 'spec.space.learningRate' });
    expect(await refusal(api.studies.create(studyInput(datasetId, { spec: { space: { learningRate: { type: 'float', low: 0, high: 0.1, log: true } } } })))).toEqual({ code: 'InvalidInput', field: 'spec.space.learningRate' });
    expect(await refusal(api.studies.create(studyInput(datasetId, { spec: { space: { scaler: { type: 'categorical', choices: [] } } } })))).toEqual({ code: 'InvalidInput', field: 'spec.space.scaler' });
    expect(await refusal(api.studies.create(studyInput(datasetId, { spec: { space: { window: { type: 'int', low: 0, high: 12 } } } })))).toEqual({ code: 'InvalidInput', field: 'spec.space.window' });
    expect(await refusal(api.studies.create(studyInput(datasetId, { enqueue: [{ learningRate: 0.5, hiddenUnits: 8 }] })))).toEqual({ code: 'InvalidInput', field: 'enqueue.0.learningRate' });
    expect(await refusal(api.studies.create({ ...studyInput(datasetId), train: { ...smallTrain(datasetId), target: 'nope' } }))).toEqual({ code: 'InvalidInput', field: 'train.target' });
    expect(await api.studies.list({})).toEqual([]);
    const space = await api.studies.defaultSpace({ model: 'mlp' });
    expect(Object.keys(space)).toEqual(expect.arrayContaining(['learningRate', 'window']));
  });

  it('completes when its grid is exhausted, before the trial budget', async () => {
    const h = await startCore();
    const { api } = h;
    const datasetId = await importCo2(api);
    const s = await api.studies.create(
      studyInput(datasetId, { train: smallTrain(datasetId, 1), spec: { space: { scaler: { type: 'categorical', choices: ['standard', 'minmax'] } }, sampler: { type: 'grid' }, budget: { trials: 10 } } }),
    );
    const done = await waitForStudy(api, s.id);
    expect(done).toMatchObject({ status: 'completed', counts: { completed: 2, running: 0 } });
    const { trials } = await api.studies.trials({ id: s.id });
    expect(trials.map((t) => t.params.scaler).sort()).toEqual(['minmax', 'standard']);
  });

  it('starts no trial once its time budget is spent, lets the ones in flight finish, then completes', async () => {
    const h = await startCore();
    const { api } = h;
    const datasetId = await importCo2(api);
    const s = await api.studies.create(studyInput(datasetId, { spec: { budget: { trials: 1000, seconds: 1.5 } } }));
    const done = await waitForStudy(api, s.id);
    expect(done.status).toBe('completed');
    const { trials, total } = await api.studies.trials({ id: s.id });
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThan(1000);
    for (const t of trials) {
      expect(t.startedAt).toBeLessThan(s.createdAt + 1500);
      expect(t.status).toBe('completed');
    }
    expect(done.finishedAt).toBeGreaterThanOrEqual(Math.max(...trials.map((t) => t.finishedAt!)));
  });

  it('prunes a trial whose curve is worse than the median: its job is cancelled, it keeps its curve, the study goes on', async () => {
    const h = await startCore();
    const { api } = h;
    const datasetId = await importCo2(api);
    // Trial 0 learns; trial 1 barely moves (a learning rate 1000x smaller), so its val_loss is worse at every epoch.
    const s = await api.studies.create(
      studyInput(datasetId, {
        // Long enough that the pruner's decision reaches the job well before its last epoch.
        train: smallTrain(datasetId, 150),
        enqueue: [{ learningRate: 0.02 }, { learningRate: 0.00002 }],
        spec: {
          objective: { metric: 'val_loss', direction: 'minimize' },
          space: { learningRate: { type: 'float', low: 1e-5, high: 0.05, log: true } },
          pruner: { type: 'median', nStartupTrials: 1, nWarmupSteps: 2 },
          budget: { trials: 2 },
        },
      }),
    );
    const done = await waitForStudy(api, s.id);
    expect(done.counts).toEqual({ running: 0, completed: 1, pruned: 1, failed: 0 });
    const { trials } = await api.studies.trials({ id: s.id });
    const [good, pruned] = trials;
    expect(good.status).toBe('completed');
    expect(good.intermediate).toHaveLength(150);
    expect(pruned.status).toBe('pruned');
    expect(pruned.value).toBeNull();
    // Stopped after the warm-up, before its last epoch, with the points it reported kept.
    expect(pruned.intermediate.length).toBeGreaterThanOrEqual(2);
    expect(pruned.intermediate.length).toBeLessThan(150);
    const last = pruned.intermediate.at(-1)!;
    expect(last.value).toBeGreaterThan(good.intermediate.find((p) => p.step === last.step)!.value);
    const job = await h.waitFor(pruned.jobId!);
    expect(job.status).toBe('cancelled');
    const timeline = await api.jobs.transitions({ id: job.id });
    expect(timeline.at(-1)!.cause).toMatch(/pruned by the study/);
  });

  it('cancel stops its running jobs and leaves no trial running', async () => {
    const h = await startCore();
    const { api } = h;
    const datasetId = await importCo2(api);
    const s = await api.studies.create(studyInput(datasetId, { train: smallTrain(datasetId, 500), spec: { budget: { trials: 5 } } }));
    const [first] = (await api.studies.trials({ id: s.id })).trials;
    await h.waitFor(first.jobId!, (j) => j.status === 'running');
    const cancelled = await api.studies.cancel({ id: s.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.counts).toMatchObject({ running: 0, failed: 1 });
    expect((await h.waitFor(first.jobId!)).status).toBe('cancelled');
    await expect(api.studies.enqueue({ id: s.id, params: { learningRate: 0.01, hiddenUnits: 8 } })).rejects.toMatchObject({ code: 'Conflict' });
    expect((await api.studies.trials({ id: s.id })).total).toBe(1);
    await expect(api.studies.get({ id: 'nope' })).rejects.toMatchObject({ code: 'NotFound' });
  });
});
