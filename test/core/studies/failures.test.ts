/**
 * Studies that cannot succeed say so: an objective the family's runs do not report, or one on the
 * test split, is refused at create; a trial whose run lacks the objective fails with that reason;
 * a study whose trials all fail, whose sampler throws or that cannot be resumed ends `failed` with
 * the reason, never `completed` and never left running with nothing in flight. Real cores, real
 * training jobs on the bundled CO2 sample, real SQLite.
 */
import { describe, expect, it } from 'vitest';
import { dataPaths } from '../../../src/core/paths';
import { openStore } from '../../../src/core/store';
import { tempDirPerTest } from '../../helpers/tmp';
import { coresPerTest } from '../queue/harness';
import { importCo2, smallTrain, studyInput, waitForStudy } from './helpers';

// After each test, hooks run last-registered first: the cores close before their data dirs are removed.
const tmp = tempDirPerTest();
const startCore = coresPerTest();

const refusal = (p: Promise<unknown>) => p.then(() => null, (err: { code: string; field?: string; message: string }) => ({ code: err.code, field: err.field, message: err.message }));

describe('a study objective', () => {
  it('must be a key the family reports: a typo, or val_loss with the isolation forest, is refused listing the valid keys', async () => {
    // A core that stores studies without running them: nothing here needs a trial.
    const { api } = await startCore({ scheduler: false });
    const datasetId = await importCo2(api);
    const typo = await refusal(api.studies.create(studyInput(datasetId, { spec: { objective: { metric: 'test.nonsense', direction: 'minimize' } } })));
    expect(typo).toMatchObject({ code: 'InvalidInput', field: 'spec.objective.metric' });
    expect(typo!.message).toMatch(/do not report "test\.nonsense"/);
    expect(typo!.message).toMatch(/valid keys: .*val\.rmse.*val_loss.*test\.rmse/);

    const forest = { kind: 'train' as const, datasetId, target: 'CO2', model: 'isolation_forest' as const };
    const space = await api.studies.defaultSpace({ model: 'isolation_forest' });
    const noEpochs = await refusal(api.studies.create(studyInput(datasetId, { train: forest, spec: { space, objective: { metric: 'val_loss', direction: 'minimize' } } })));
    expect(noEpochs).toMatchObject({ code: 'InvalidInput', field: 'spec.objective.metric' });
    expect(noEpochs!.message).toMatch(/isolation_forest model's runs do not report "val_loss"/);
    expect(noEpochs!.message).toMatch(/val\.pr_auc/);
    expect(noEpochs!.message).not.toMatch(/val_loss,/);

    // A pruner needs a per-epoch series; the isolation forest has none.
    const pruned = await refusal(
      api.studies.create(studyInput(datasetId, { train: forest, spec: { space, objective: { metric: 'val.f1', direction: 'maximize' }, pruner: { type: 'median' } } })),
    );
    expect(pruned).toMatchObject({ code: 'InvalidInput', field: 'spec.pruner' });
    expect(pruned!.message).toMatch(/no per-epoch series/);

    const backwards = await refusal(api.studies.create(studyInput(datasetId, { spec: { objective: { metric: 'val.rmse', direction: 'maximize' } } })));
    expect(backwards).toMatchObject({ code: 'InvalidInput', field: 'spec.objective.direction' });
    expect(await api.studies.list({})).toEqual([]);
  });

  it('on the test split is refused with the reason, accepted with allowTestObjective and marked; none given is the validation RMSE', async () => {
    const { api } = await startCore({ scheduler: false });
    const datasetId = await importCo2(api);
    const onTest = await refusal(api.studies.create(studyInput(datasetId, { spec: { objective: { metric: 'test.rmse', direction: 'minimize' } } })));
    expect(onTest).toMatchObject({ code: 'InvalidInput', field: 'spec.objective.metric' });
    expect(onTest!.message).toMatch(/measured on the test split\. Select on validation, report on test/);
    expect(onTest!.message).toMatch(/allowTestObjective/);

    const allowed = await api.studies.create(studyInput(datasetId, { spec: { objective: { metric: 'test.rmse', direction: 'minimize' }, allowTestObjective: true } }));
    expect(allowed.spec).toMatchObject({ objective: { metric: 'test.rmse' }, allowTestObjective: true });
    expect((await api.studies.get({ id: allowed.id })).spec.allowTestObjective).toBe(true);

    const { objective: _none, ...withoutObjective } = studyInput(datasetId).spec;
    const defaulted = await api.studies.create({ ...studyInput(datasetId), spec: withoutObjective });
    expect(defaulted.spec.objective).toEqual({ metric: 'val.rmse', direction: 'minimize' });
    expect(defaulted.spec.allowTestObjective).toBe(false);
    expect(defaulted.intermediateKey).toBe('val_loss');

    const choices = await api.studies.objectives({ model: 'isolation_forest' });
    expect(choices.default).toEqual({ metric: 'val.pr_auc', direction: 'maximize' });
    expect(choices.prunable).toBe(false);
    expect(choices.metrics.find((m) => m.key === 'test.f1')).toMatchObject({ split: 'test', direction: 'maximize' });
  });
});

describe('a study that cannot succeed', () => {
  it('fails a trial whose run lacks the objective, with that reason, and ends failed saying why', async () => {
    const { api } = await startCore();
    const datasetId = await importCo2(api);
    // A season longer than the series: the runs record no seasonal-naive baseline at all.
    const train = { ...smallTrain(datasetId, 1), params: { ...smallTrain(datasetId, 1).params, season: 5000 } };
    const s = await api.studies.create(studyInput(datasetId, { train, spec: { objective: { metric: 'seasonal_naive.val.rmse', direction: 'minimize' }, budget: { trials: 3 } } }));
    const done = await waitForStudy(api, s.id);
    expect(done.status).toBe('failed');
    // It stopped at the first trial rather than running the budget out.
    expect(done.counts).toEqual({ running: 0, completed: 0, pruned: 0, failed: 1 });
    const [trial] = (await api.studies.trials({ id: s.id })).trials;
    expect(trial.error).toMatch(/^its run recorded no "seasonal_naive\.val\.rmse" metric \(it recorded .*test\.rmse/);
    const run = await api.runs.get({ id: trial.runId! });
    expect(run.summary['seasonal_naive.val.rmse']).toBeUndefined();
    expect(done.failureReason).toContain(`trial #0 could not be scored: ${trial.error}`);
    expect(done.finishedAt).not.toBeNull();
  });

  it('whose trials all fail ends failed with the first reason, not completed', async () => {
    const { api } = await startCore();
    const datasetId = await importCo2(api);
    // Windows longer than the CO2 series: each job fails in its worker.
    const s = await api.studies.create(
      studyInput(datasetId, { spec: { space: { window: { type: 'categorical', choices: [1000, 1024] } }, sampler: { type: 'grid' }, budget: { trials: 5 } } }),
    );
    const done = await waitForStudy(api, s.id);
    expect(done.status).toBe('failed');
    expect(done.counts).toEqual({ running: 0, completed: 0, pruned: 0, failed: 2 });
    const { trials } = await api.studies.trials({ id: s.id });
    for (const t of trials) expect(t.error).toMatch(/^its job failed: .*rows/);
    expect(done.failureReason).toBe(`no trial completed: 2 of 2 failed; trial #0: ${trials[0].error}`);
  });

  it('whose sampler throws on a corrupt stored trial, or that cannot be resumed, ends failed with the reason', async () => {
    const dir = tmp();
    let h = await startCore({ dataDir: dir, scheduler: false });
    const datasetId = await importCo2(h.api);
    const gridStudy = await h.api.studies.create(studyInput(datasetId, { spec: { space: { scaler: { type: 'categorical', choices: ['standard', 'minmax'] } }, sampler: { type: 'grid' } } }));
    const tpeStudy = await h.api.studies.create(studyInput(datasetId, { spec: { name: 'resumes-badly' } }));
    await h.close();

    // What a damaged file holds: a finished trial whose params are not an object, and a spec whose
    // grid sampler cannot be built (a float parameter without a step).
    const store = openStore(dataPaths(dir).db);
    await store.db
      .insertInto('trials')
      .values({ id: 'corrupt-trial', study_id: gridStudy.id, number: 0, state: 'completed', params: 'null', value: 1, intermediate: '[]', job_id: null, run_id: null, error: null, started_at: Date.now(), ended_at: Date.now() })
      .execute();
    const spec = { ...tpeStudy.spec, sampler: { type: 'grid' } };
    await store.db.updateTable('studies').set({ spec: JSON.stringify(spec) }).where('id', '=', tpeStudy.id).execute();
    await store.close();

    h = await startCore({ dataDir: dir });
    const grid = await waitForStudy(h.api, gridStudy.id);
    expect(grid.status).toBe('failed');
    expect(grid.failureReason).toMatch(/^its grid sampler failed: /);
    expect(grid.counts.running).toBe(0);
    const resumed = await waitForStudy(h.api, tpeStudy.id);
    expect(resumed.status).toBe('failed');
    expect(resumed.failureReason).toMatch(/^it could not be resumed: .*learningRate.*step/);
    expect((await h.api.jobs.list({ kind: 'train', limit: 10 })).length).toBe(0);
  });
});
