/**
 * `trainyard predict` and `trainyard models evaluate` as a user runs them: a real process on a temp
 * data directory. The round trip through a registered model needs `models register`; where this
 * build has no such command the round trip says it skipped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Dataset, EvaluateResult, Job, ModelVersion } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const CO2 = fileURLToPath(new URL('../../resources/datasets/co2-concentration.csv', import.meta.url));

const t = tempDir();
afterAll(() => t.cleanup());
const cli = trainyardCli(t.dir);

const registerBuilt = /^\s+register\b/m.test(cli.run('models', '--help').stdout);
if (!registerBuilt) process.stderr.write('test/cli/predict.test.ts: `models register` is not in this build; the registered-model round trip is skipped\n');

/** One line `trainyard: <message>` and exit code 1. */
function failsWith(args: string[], pattern: RegExp): void {
  const r = cli.run(...args);
  expect(r.code, r.stdout).toBe(1);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(/^trainyard: /);
  expect(r.stderr).toMatch(pattern);
}

describe('trainyard predict and models evaluate', () => {
  it('refuses evaluate without exactly one data source, and unknown row choices', () => {
    failsWith(['models', 'evaluate', 'a', 'b'], /exactly one of --dataset ID or --data FILE/);
    failsWith(['models', 'evaluate', 'a', '--data', CO2, '--dataset', 'x'], /exactly one of --dataset ID or --data FILE/);
    failsWith(['models', 'evaluate', 'a', '--data', CO2, '--rows', 'some'], /--rows is test or all, not "some"/);
  });

  describe.skipIf(!registerBuilt)('through a registered model', () => {
    it('predicts the run’s own test numbers, writes CSV atomically or to stdout, and evaluates side by side', () => {
      const d = cli.json<Dataset>('datasets', 'import', CO2, '--name', 'co2');
      const job = cli.json<Job>('jobs', 'submit', '--dataset', 'co2', '--target', 'CO2', '--model', 'linear', '--param', 'window=12', '--param', 'horizon=2');
      const done = cli.json<Job>('jobs', 'wait', job.id);
      expect(done.status, done.error ?? '').toBe('completed');
      const v = cli.json<ModelVersion>('models', 'register', done.runId!, '--name', 'co2');
      expect(v.version).toBe(1);

      const out = join(t.dir, 'out.csv');
      const r = cli.run('predict', 'co2', '--data', CO2, '-o', out);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Wrote 728 fitted rows and 2 forecast steps of co2:1 .* to .*out\.csv/);
      const written = readFileSync(out, 'utf8');
      const stdout = cli.run('predict', 'co2:1', '--data', CO2);
      expect(stdout.stdout).toBe(written);

      const predicted = new Map(written.trim().split('\n').slice(1).map((l) => [l.split(',')[0], Number(l.split(',')[2])]));
      const saved = readFileSync(join(t.dir, 'models', done.runId!, 'predictions.csv'), 'utf8').trim().split('\n').slice(1);
      for (const line of saved) {
        const [time, , value] = line.split(',');
        expect(Math.abs(predicted.get(time)! - Number(value))).toBeLessThan(1e-9);
      }

      const ev = cli.json<EvaluateResult>('models', 'evaluate', 'co2', 'co2:1', '--dataset', d.id);
      expect(ev.rows.which).toBe('test');
      expect(ev.models[0].metrics).toEqual(ev.models[1].metrics);
      const table = cli.run('models', 'evaluate', 'co2', 'co2:1', '--dataset', d.id, '--rows', 'all');
      expect(table.code, table.stderr).toBe(0);
      expect(table.stdout).toMatch(/^metric\s+co2\s+co2:1$/m);
      expect(table.stdout).toMatch(/^rmse\s/m);

      const lacking = join(t.dir, 'lacking.csv');
      writeFileSync(lacking, readFileSync(CO2, 'utf8').replace(/^Date,CO2,/, 'Date,co2,'));
      failsWith(['predict', 'co2', '--data', lacking], /Column "CO2" is not in the file; the columns are "Date", "co2", "adjusted CO2"/);
    }, 240_000);
  });
});
