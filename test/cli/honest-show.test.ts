/**
 * What `runs show` and `study show` / `study list` tell a user, from a store filled through the
 * core's own capabilities: a forecast run's validation metrics beside its test ones with both
 * baselines and the skill in %, a failed study with its reason, and a study that selects on the
 * test split marked as such.
 */
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { StudyRepository } from '../../src/core/studies/repository';
import { Tracking } from '../../src/core/tracking';
import { StudySpec, TrainSpec } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const t = tempDir();
afterAll(() => t.cleanup());
const { run: trainyard } = trainyardCli(t.dir);


let runId = '';
const summary: Record<string, number> = {
  'test.mae': 0.41,
  'test.rmse': 0.5,
  'test.mape': 0.123,
  'test.r2': 0.99,
  'naive.mae': 0.9,
  'naive.rmse': 1,
  'naive.mape': 0.25,
  'seasonal_naive.rmse': 0.8,
  'skill.naive': 0.5,
  'test.skill': 0.5,
  'val.rmse': 0.45,
  'val.mape': 0.11,
  'naive.val.rmse': 0.9,
};

beforeAll(async () => {
  mkdirSync(t.dir, { recursive: true });
  const store = openStore(dataPaths(t.dir).db);
  const tracking = new Tracking(store);
  runId = await tracking.startRun({ experiment: 'co2', jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: { model: 'mlp' } });
  await tracking.recordMetrics(Object.entries(summary).map(([key, value]) => ({ runId, key, step: 0, ts: 1, value })));
  await tracking.finishRun(runId, { status: 'completed' });
  const studies = new StudyRepository(store.db);
  const base = (id: string, name: string, spec: Record<string, unknown>) => ({
    id,
    name,
    spec: StudySpec.parse({ name, objective: { metric: 'val.rmse', direction: 'minimize' }, space: { learningRate: { type: 'float', low: 0.001, high: 0.1 } }, budget: { trials: 4 }, ...spec }),
    train: TrainSpec.parse({ kind: 'train', datasetId: '01JNODATASET00000000000000', target: 'CO2', model: 'mlp', experiment: name }),
    priority: 'normal' as const,
    pending: [],
    importance: null,
    createdAt: 1_700_000_000_000,
    finishedAt: 1_700_000_060_000,
  });
  await studies.insertStudy({ ...base('01JFAILEDSTUDY000000000000', 'broken-study', {}), status: 'failed', failureReason: 'no trial completed: 4 of 4 failed; trial #0: its job failed: out of rows' });
  await studies.insertStudy({
    ...base('01JTESTOBJSTUDY00000000000', 'peeks-at-test', { objective: { metric: 'test.rmse', direction: 'minimize' }, allowTestObjective: true }),
    status: 'completed',
    failureReason: null,
  });
  await store.close();
});

describe('honest output', () => {
  it('runs show: validation beside test, both baselines, MAPE with its unit and the skill in %', () => {
    const r = trainyard('runs', 'show', runId);
    expect(r.code, r.stderr).toBe(0);
    const out = r.stdout;
    const testAt = out.indexOf('held-out test split');
    const valAt = out.indexOf('validation split');
    expect(testAt).toBeGreaterThan(0);
    expect(valAt).toBeGreaterThan(testAt);
    const testPart = out.slice(testAt, valAt);
    expect(testPart).toMatch(/MAPE %/);
    expect(testPart).toMatch(/^mlp\s+0\.41\s+0\.5\s+0\.123\s+0\.99\s+\+50\.0%/m);
    expect(testPart).toMatch(/^seasonal naive\s.*\+20\.0%/m);
    expect(testPart).toMatch(/verdict: beats the naive forecast by 50\.0% on test RMSE/);
    const valPart = out.slice(valAt);
    expect(valPart).toMatch(/^mlp\s+-\s+0\.45\s+0\.11\s+-\s+\+50\.0%/m);
    expect(valPart).toMatch(/^naive \(last value\)\s.*reference/m);
  });

  it('study show and list: a failed study with its reason, a study on a test metric marked', () => {
    const failed = trainyard('study', 'show', '01JFAILEDSTUDY000000000000');
    expect(failed.code, failed.stderr).toBe(0);
    expect(failed.stdout).toMatch(/broken-study\s+failed/);
    expect(failed.stdout).toMatch(/^failed: no trial completed: 4 of 4 failed; trial #0: its job failed: out of rows$/m);
    const peeks = trainyard('study', 'show', '01JTESTOBJSTUDY00000000000');
    expect(peeks.stdout).toMatch(/WARNING: this study selects on the test split \(test\.rmse\)/);
    const list = trainyard('study', 'list');
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/min test\.rmse \(selects on test!\)/);
    expect(list.stdout).toMatch(/01JFAILEDSTUDY000000000000 failed: no trial completed/);
    expect(list.stdout).not.toMatch(/val\.rmse \(selects on test!\)/);
  });
});
