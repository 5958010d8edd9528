/**
 * `trainyard jobs submit --label --exog` as a user runs it: a real process, a temp data directory,
 * an anomaly job scored against its label column and a forecast job reading an extra column.
 */
import type { Dataset, Job, ModelFamilyInfo, Run } from '../../src/shared/contract';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { trainyardCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const sample = (file: string) => fileURLToPath(new URL(`../../resources/datasets/${file}`, import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());
const { run: trainyard, json } = trainyardCli(t.dir);



describe('trainyard jobs submit --label --exog', () => {
  it('lists the families with the columns they read', () => {
    const families = json<ModelFamilyInfo[]>('jobs', 'families');
    expect(families.find((f) => f.name === 'isolation_forest')).toMatchObject({ task: 'anomaly', uses: { labelColumn: true, exogenous: false } });
    expect(families.find((f) => f.name === 'mlp')).toMatchObject({ task: 'forecast', uses: { labelColumn: false, exogenous: true } });
    expect(families.filter((f) => f.isDefault)).toHaveLength(1);
  });

  it('trains an anomaly job scored against its label column, with validation and event metrics', () => {
    json<Dataset>('datasets', 'import', sample('seattle-daily-temperature-anomalies.csv'), '--name', 'daily');
    const job = json<Job>('jobs', 'submit', '--dataset', 'daily', '--target', 'temp_max', '--model', 'isolation_forest', '--label', 'anomaly', '--param', 'trees=30');
    expect(job.spec).toMatchObject({ kind: 'train', model: 'isolation_forest', labelColumn: 'anomaly', exogenous: [] });
    const shown = trainyard('jobs', 'show', job.id);
    expect(shown.stdout).toMatch(/model isolation_forest {2}target temp_max .* {2}label anomaly/);

    const done = json<Job>('jobs', 'wait', job.id);
    expect(done.status, done.error ?? undefined).toBe('completed');
    const run = json<Run>('runs', 'show', done.runId!);
    expect(run.params).toMatchObject({ trees: 30, threshold: 'auto', thresholdChosenBy: 'best_f1' });
    for (const key of ['val.f1', 'val.pr_auc', 'test.f1', 'test.roc_auc', 'test.event_recall', 'test.events', 'threshold']) {
      expect(Number.isFinite(run.summary[key]), key).toBe(true);
    }
    // Better than a scorer that knows nothing, on the held-out rows.
    expect(run.summary['test.pr_auc']).toBeGreaterThan(run.summary['random.pr_auc']);
    // The text shows the anomaly figures, not an empty forecast table.
    const text = trainyard('runs', 'show', done.runId!).stdout;
    expect(text).toMatch(/threshold [\d.e-]+ \(chosen by best_f1; rule auto\)/);
    expect(text).toMatch(/^F1 +[\d.]+ +[\d.]+ +[\d.]+$/m);
    expect(text).not.toMatch(/RMSE/);
  });

  it('sends exogenous columns with a forecast job, and refuses columns a family does not read, naming the flag', () => {
    json<Dataset>('datasets', 'import', sample('us-employment.csv'), '--name', 'employment');
    const job = json<Job>('jobs', 'submit', '--dataset', 'employment', '--target', 'nonfarm', '--model', 'mlp', '--exog', 'construction', 'manufacturing');
    expect(job.spec).toMatchObject({ model: 'mlp', exogenous: ['construction', 'manufacturing'] });
    expect(job.spec.kind === 'train' && job.spec.labelColumn).toBeFalsy();

    const labelOnForecast = trainyard('jobs', 'submit', '--dataset', 'employment', '--target', 'nonfarm', '--model', 'mlp', '--label', 'construction');
    expect(labelOnForecast.code).not.toBe(0);
    expect(labelOnForecast.stderr).toMatch(/label column is for the anomaly families/);
    const exogOnAnomaly = trainyard('jobs', 'submit', '--dataset', 'daily', '--target', 'temp_max', '--model', 'autoencoder', '--exog', 'anomaly');
    expect(exogOnAnomaly.code).not.toBe(0);
    expect(exogOnAnomaly.stderr).toMatch(/scores the target alone; remove the exogenous columns/);
    const missing = trainyard('jobs', 'submit', '--dataset', 'daily', '--target', 'temp_max', '--model', 'autoencoder', '--label', 'flag');
    expect(missing.stderr).toMatch(/Column "flag" is not in dataset daily/);
  });
});
