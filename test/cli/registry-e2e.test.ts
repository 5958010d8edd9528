/**
 * The registry from train to a teammate's machine, entirely through the `trainyard` command: train
 * two forecasters on the bundled CO2 series, register them as v1 and v2, let the gate accept the
 * better as champion and refuse to move champion back to the worse, push the champion to a real OCI
 * registry (Debian's docker-registry, htpasswd auth), pull it into a fresh data directory, and check
 * that the pulled model predicts the same numbers as the original.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AliasEvent, GateReport, Job, ModelDetail, ModelVersion, RegisteredModel } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { registryMissing, startRegistry, type TestRegistry } from '../helpers/oci-registry';
import { tempDir } from '../helpers/tmp';

const CO2 = fileURLToPath(new URL('../../resources/datasets/co2-concentration.csv', import.meta.url));
const here = tempDir();
const there = tempDir();
const USER = 'researcher';
const PASSWORD = 'co2-registry-secret';
let registry: TestRegistry | null = null;

beforeAll(async () => {
  if (registryMissing) return;
  registry = await startRegistry({ users: { [USER]: PASSWORD } });
}, 60_000);
afterAll(async () => {
  await registry?.stop();
  here.cleanup();
  there.cleanup();
});

/** Trains a ridge forecaster reading `window` months and returns its run id. */
function train(cli: ReturnType<typeof trainyardCli>, window: number): string {
  const job = cli.json<Job>('jobs', 'submit', '--dataset', 'co2', '--target', 'CO2', '--model', 'linear', '--param', `window=${window}`);
  const done = cli.json<Job>('jobs', 'wait', job.id);
  expect(done.status, done.error ?? undefined).toBe('completed');
  return done.runId!;
}

/** The numeric columns of a predict CSV, row by row. */
function predictions(path: string): { time: string; predicted: number; kind: string }[] {
  const parsed = Papa.parse<Record<string, string>>(readFileSync(path, 'utf8').trim(), { header: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data.map((r) => ({ time: r.time, predicted: Number(r.predicted), kind: r.kind }));
}

describe.skipIf(registryMissing !== null)(`the registry end to end through the CLI${registryMissing ? ` (skipped: ${registryMissing})` : ''}`, () => {
  it('registers, gates, pushes, pulls and predicts the same numbers', () => {
    // Credentials as a script would export them: never on the command line, never stored.
    const env = { TRAINYARD_REGISTRY_USERNAME: USER, TRAINYARD_REGISTRY_PASSWORD: PASSWORD };
    const cli = trainyardCli(here.dir, 300_000, env);
    expect(cli.run('datasets', 'import', CO2, '--name', 'co2').code).toBe(0);
    const coarse = train(cli, 3);
    const fine = train(cli, 24);

    const v1 = cli.json<ModelVersion>('models', 'register', coarse, '--name', 'co2', '--description', 'Ridge on 3 months', '--tag', 'team=climate');
    const v2 = cli.json<ModelVersion>('models', 'register', fine, '--name', 'co2', '--description', 'Ridge on 24 months');
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v2.lineage).toMatchObject({ runId: fine, family: 'linear', datasetName: 'co2' });
    expect(v2.lineage.metrics['val.rmse']).toBeLessThan(v1.lineage.metrics['val.rmse']);

    cli.json<RegisteredModel>(
      'models', 'gate', 'set', 'co2', '--rule', 'val.rmse <= 0.95 * naive.val.rmse', '--rule', 'test.skill > 0', '--champion-rule', 'test.rmse:0.01',
    );
    // v2 is better than no champion and passes both rules; then champion cannot move back to v1.
    const promoted = cli.json<AliasEvent>('models', 'alias', 'set', 'co2', 'champion', '2', '--reason', 'best validation RMSE');
    expect(promoted).toMatchObject({ alias: 'champion', fromVersion: null, toVersion: 2, forced: false });
    expect(promoted.gate?.passed).toBe(true);
    const refused = cli.run('models', 'alias', 'set', 'co2', 'champion', '1');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/gate/i);
    expect(refused.stderr).toMatch(/champion/);
    const check = cli.run('models', 'gate', 'check', 'co2:1', '--json');
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout) as GateReport;
    const championCheck = report.checks.find((c) => c.kind === 'champion')!;
    expect(championCheck.passed).toBe(false);
    expect(championCheck.value).toBeGreaterThan(championCheck.threshold!);
    const detail = cli.json<ModelDetail>('models', 'show', 'co2');
    expect(detail.model.aliases).toEqual({ champion: 2 });
    expect(detail.history.map((e) => [e.alias, e.fromVersion, e.toVersion])).toEqual([['champion', null, 2]]);

    // Push the champion to the real registry, pull it into another data directory.
    const reference = `${registry!.host}/climate/co2:v2`;
    const pushed = cli.json<{ digest: string; uploadedBlobs: number }>('models', 'push', 'co2@champion', reference, '--plain-http');
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    const elsewhere = trainyardCli(there.dir, 300_000, env);
    const pulled = elsewhere.json<ModelVersion>('models', 'pull', reference, '--name', 'co2', '--plain-http');
    expect(pulled).toMatchObject({ version: 1, digest: v2.digest, source: { kind: 'pull', ref: reference } });
    expect(pulled.lineage).toEqual(v2.lineage);

    const mine = join(here.dir, 'mine.csv');
    const theirs = join(there.dir, 'theirs.csv');
    expect(cli.run('predict', 'co2@champion', '--data', CO2, '-o', mine).code).toBe(0);
    expect(elsewhere.run('predict', 'co2:1', '--data', CO2, '-o', theirs).code).toBe(0);
    const a = predictions(mine);
    const b = predictions(theirs);
    expect(b.length).toBe(a.length);
    expect(a.filter((r) => r.kind === 'forecast').length).toBeGreaterThan(0);
    for (let i = 0; i < a.length; i++) {
      expect(b[i].time).toBe(a[i].time);
      expect(Math.abs(b[i].predicted - a[i].predicted)).toBeLessThanOrEqual(1e-9);
    }
  }, 600_000);
});
