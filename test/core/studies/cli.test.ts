/**
 * `trainyard study ...` as a user runs it, from a fresh data directory: the example spec in
 * examples/ (its budget made small) creates a study on the bundled CO2 sample, which the CLI
 * imports itself; `study wait` runs it here; show, list and export read it back; a bad space is
 * refused naming the parameter.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, describe, expect, it } from 'vitest';
import { StudyCreateInput, type StudySummary } from '../../../src/shared/contract';
import { tempDir } from '../../helpers/tmp';

const BIN = fileURLToPath(new URL('../../../bin/trainyard.mjs', import.meta.url));
const EXAMPLE = fileURLToPath(new URL('../../../examples/study-co2.json', import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());
const dataDir = join(t.dir, 'data');

function trainyard(...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], { encoding: 'utf8', timeout: 180_000, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The example with a budget small enough for a test, selecting on the per-epoch validation loss
 * (the best epoch's, whose weights the run keeps), which every network run records.
 */
function smallExample(): string {
  const input = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as { spec: { budget: unknown; objective: unknown }; train: { params: Record<string, unknown> } };
  input.spec.budget = { trials: 3 };
  input.spec.objective = { metric: 'val_loss', direction: 'minimize' };
  input.train.params.epochs = 3;
  const file = join(t.dir, 'small.json');
  writeFileSync(file, JSON.stringify(input));
  return file;
}

describe('trainyard study', () => {
  it('the example spec is a valid study on a bundled sample', () => {
    const input = StudyCreateInput.parse(JSON.parse(readFileSync(EXAMPLE, 'utf8')));
    expect(input.train).toMatchObject({ kind: 'train', datasetId: 'sample:co2-concentration.csv' });
    expect(input.spec.budget.trials).toBeLessThanOrEqual(10);
    // It selects on validation, on the original scale; the test split is for reporting.
    expect(input.spec.objective).toEqual({ metric: 'val.rmse', direction: 'minimize' });
    expect(input.spec.allowTestObjective).toBe(false);
  });

  it('creates the example from a fresh data directory, waits for it, shows, lists and exports it', () => {
    const created = trainyard('study', 'create', '-f', smallExample(), '--json');
    expect(created.code, created.stderr).toBe(0);
    const study = JSON.parse(created.stdout) as StudySummary;
    expect(study).toMatchObject({ status: 'running', name: 'co2-mlp-study', counts: { running: 0 } });

    const waited = trainyard('study', 'wait', study.id, '--json');
    expect(waited.code, waited.stderr).toBe(0);
    const done = JSON.parse(waited.stdout) as StudySummary & { importance: { param: string }[] };
    expect(done.status).toBe('completed');
    expect(done.counts.completed + done.counts.pruned).toBe(3);
    expect(done.counts.failed).toBe(0);
    // The progress bar (stderr is not a terminal here: one line per change) reached the budget.
    expect(waited.stderr).toMatch(/3\/3 trials done/);

    const shown = trainyard('study', 'show', study.id);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/completed/);
    expect(shown.stdout).toMatch(new RegExp(`best trial #${done.best!.number}: val_loss`));

    const listed = trainyard('study', 'list', '--json');
    expect((JSON.parse(listed.stdout) as StudySummary[]).map((s) => s.id)).toEqual([study.id]);

    const out = join(t.dir, 'trials.csv');
    const exported = trainyard('study', 'export', study.id, '--format', 'csv', '-o', out);
    expect(exported.code, exported.stderr).toBe(0);
    const rows = Papa.parse<Record<string, string>>(readFileSync(out, 'utf8').trim(), { header: true }).data;
    expect(rows).toHaveLength(3);
    // The warm-start trial ran first; the best trial is the completed one with the lowest value.
    const completed = rows.filter((r) => r.status === 'completed');
    const best = completed.reduce((a, b) => (Number(b.value) < Number(a.value) ? b : a));
    expect(done.best).toMatchObject({ number: Number(best.number), value: Number(best.value) });
    expect(rows[0]).toMatchObject({ number: '0', 'params.learningRate': '0.003', 'params.hiddenUnits': '32', 'params.window': '12', 'params.scaler': 'standard' });
    const json = trainyard('study', 'export', study.id, '--format', 'json');
    expect((JSON.parse(json.stdout) as { trials: unknown[] }).trials).toHaveLength(3);

    // The sample was imported once, however many times the spec named it.
    const again = trainyard('study', 'create', '-f', smallExample(), '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(trainyard('datasets', 'list', '--json').stdout)).toHaveLength(1);
  });

  it('refuses an invalid space naming the parameter, and a file that is not JSON', () => {
    const input = JSON.parse(readFileSync(smallExample(), 'utf8')) as { spec: { space: Record<string, unknown> } };
    input.spec.space.learningRate = { type: 'float', low: 0.1, high: 0.01 };
    const bad = join(t.dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(input));
    const r = trainyard('study', 'create', '-f', bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/spec\.space\.learningRate: low \(0\.1\) is greater than high \(0\.01\)/);
    writeFileSync(bad, '{ not json');
    const r2 = trainyard('study', 'create', '-f', bad);
    expect(r2.code).toBe(1);
    expect(r2.stderr).toMatch(/is not valid JSON/);
  });

  it('refuses a test objective saying why; a study whose trials all fail ends failed with the reason and a non-zero exit', () => {
    const input = JSON.parse(readFileSync(smallExample(), 'utf8')) as { spec: Record<string, unknown>; enqueue: unknown[] };
    const file = join(t.dir, 'honest.json');
    writeFileSync(file, JSON.stringify({ ...input, spec: { ...input.spec, objective: { metric: 'test.rmse', direction: 'minimize' } } }));
    const onTest = trainyard('study', 'create', '-f', file);
    expect(onTest.code).toBe(1);
    expect(onTest.stderr).toMatch(/spec\.objective\.metric: "test\.rmse" is measured on the test split\. Select on validation, report on test/);

    // A window longer than the CO2 series: the one trial's job fails in its worker.
    const space = { window: { type: 'categorical', choices: [1000] } };
    writeFileSync(file, JSON.stringify({ ...input, enqueue: [], spec: { ...input.spec, space, sampler: { type: 'grid' }, pruner: { type: 'none' } } }));
    const failing = trainyard('study', 'create', '-f', file, '--wait');
    expect(failing.code, failing.stderr).toBe(1);
    expect(failing.stdout).toMatch(/^failed: no trial completed: 1 of 1 failed; trial #0: its job failed: The series has \d+ rows/m);
  });
});
