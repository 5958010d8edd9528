/**
 * `trainyard models register|alias|gate|show|list|rm` as a user runs them: real processes on a temp
 * data directory, two linear forecasters trained through the queue.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AliasEvent, Dataset, GateReport, Job, ModelDetail, ModelVersion, RegisteredModel, StudySummary } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const sample = (file: string) => fileURLToPath(new URL(`../../resources/datasets/${file}`, import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());
const { run: trainyard, json } = trainyardCli(t.dir);
const runs: string[] = [];

function train(...params: string[]): string {
  const job = json<Job>('jobs', 'submit', '--dataset', 'co2', '--target', 'CO2', '--model', 'linear', ...params.flatMap((p) => ['--param', p]));
  const done = json<Job>('jobs', 'wait', job.id);
  expect(done.status, done.error ?? undefined).toBe('completed');
  return done.runId!;
}

beforeAll(() => {
  json<Dataset>('datasets', 'import', sample('co2-concentration.csv'), '--name', 'co2');
  runs.push(train('window=24'), train('window=2', 'l2=1000'));
}, 300_000);

describe('trainyard models', () => {
  it('registers, gates and moves aliases, refusing a worse champion and recording a forced move', () => {
    const v1 = json<ModelVersion>('models', 'register', runs[0], '--name', 'co2', '--tag', 'team=climate', '--description', 'long window');
    const v2 = json<ModelVersion>('models', 'register', runs[1], '--name', 'co2');
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(v1.tags).toEqual({ team: 'climate' });
    const text = trainyard('models', 'register', runs[0], '--name', 'co2');
    expect(text.stdout).toMatch(new RegExp(`^Registered co2:3 from run ${runs[0]}: \\d+ files, \\d+ bytes, digest [0-9a-f]{12}\\n$`));

    const [good, bad] = v1.lineage.metrics['val.rmse'] < v2.lineage.metrics['val.rmse'] ? [v1, v2] : [v2, v1];
    const between = (v1.lineage.metrics['val.rmse'] + v2.lineage.metrics['val.rmse']) / 2;
    const hookOut = join(t.dir, 'promoted.json');
    const gate = json<RegisteredModel>('models', 'gate', 'set', 'co2', '--rule', `val.rmse <= ${between}`, '--champion-rule', 'test.rmse:2%', '--protect', 'champion', '--hook-command', `cat > '${hookOut}'`);
    expect(gate.gate).toEqual({
      rules: [
        { kind: 'metric', expr: `val.rmse <= ${between}` },
        { kind: 'champion', metric: 'test.rmse', alias: 'champion', tolerance: 0.02 },
      ],
      protectedAliases: ['champion'],
      hooks: [{ kind: 'command', command: `cat > '${hookOut}'` }],
    });
    const invalid = trainyard('models', 'gate', 'set', 'co2', '--rule', 'val.rmse =< 1');
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/^trainyard: .*The gate rule "val.rmse =< 1" is not valid/);
    // The champion rule needs the scorer; without it only the metric rules decide, so keep the metric rule alone.
    json<RegisteredModel>('models', 'gate', 'set', 'co2', '--rule', `val.rmse <= ${between}`);

    const promoted = json<AliasEvent>('models', 'alias', 'set', 'co2', 'champion', String(good.version), '--reason', 'best on validation');
    expect(promoted).toMatchObject({ toVersion: good.version, forced: false, gate: { passed: true }, hooks: [{ ok: true }] });
    expect(JSON.parse(readFileSync(hookOut, 'utf8'))).toMatchObject({ model: 'co2', version: good.version, alias: 'champion' });

    const refused = trainyard('models', 'alias', 'set', 'co2', 'champion', String(bad.version));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(new RegExp(`^trainyard: The gate refused co2:${bad.version} as @champion: val\\.rmse <= [\\d.e-]+: val\\.rmse = [\\d.e-]+ is not <= [\\d.e-]+`));
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);

    const check = trainyard('models', 'gate', 'check', `co2:${bad.version}`);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/^rule +value +threshold +result +detail$/m);
    expect(check.stdout).toMatch(/^val\.rmse <= [\d.e-]+ +[\d.e-]+ +[\d.e-]+ +FAIL /m);
    const passing = trainyard('models', 'gate', 'check', `co2@champion`, '--json');
    expect(passing.code).toBe(0);
    expect((JSON.parse(passing.stdout) as GateReport).passed).toBe(true);

    expect(trainyard('models', 'alias', 'set', 'co2', 'champion', String(bad.version), '--force').stderr).toMatch(/^trainyard: .*a forced move needs a reason/);
    const forced = json<AliasEvent>('models', 'alias', 'set', 'co2', 'champion', String(bad.version), '--force', '--reason', 'demo day');
    expect(forced).toMatchObject({ forced: true, reason: 'demo day', fromVersion: good.version, toVersion: bad.version });

    const shown = trainyard('models', 'show', 'co2');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^VERSION +CREATED +ALIASES +val\.rmse +test\.rmse +test\.skill +GATE +SOURCE +DATASET$/m);
    expect(shown.stdout).toMatch(new RegExp(`^${bad.version} +\\S+ \\S+ +@champion .* FAIL +run `, 'm'));
    expect(shown.stdout).toMatch(new RegExp(`@champion +${good.version} → ${bad.version} +gate failed +FORCED +reason: demo day`));
    expect(shown.stdout).toContain(`val.rmse <= ${between}`);
    const detail = json<ModelDetail>('models', 'show', 'co2');
    expect(detail.history.map((e) => e.forced)).toEqual([true, false]);

    json<AliasEvent>('models', 'alias', 'set', 'co2', 'candidate', '3');
    expect(json<AliasEvent>('models', 'alias', 'rm', 'co2', 'candidate', '--reason', 'done')).toMatchObject({ fromVersion: 3, toVersion: null });
    expect(json<{ removedVersions: number }>('models', 'rm', 'co2:3')).toEqual({ removedVersions: 1 });
    expect(existsSync(join(t.dir, 'registry', 'models', 'co2', '3'))).toBe(false);
    const list = json<RegisteredModel[]>('models', 'list');
    expect(list).toMatchObject([{ name: 'co2', latestVersion: 2, versionCount: 2, aliases: { champion: bad.version } }]);
    expect(trainyard('models', 'list').stdout).toMatch(/^co2 +forecast +2 +2 +@champion=\d/m);
    const missing = trainyard('models', 'alias', 'set', 'co2', 'champion', '9');
    expect(missing.stderr).toBe('trainyard: model co2 has no version 9; it has 1-2\n');
  });

  it("registers a study's best trial with trainyard study register", () => {
    const file = join(t.dir, 'study.json');
    writeFileSync(
      file,
      JSON.stringify({
        spec: { name: 'co2-linear', objective: { metric: 'val.rmse', direction: 'minimize' }, space: { window: { type: 'int', low: 3, high: 24 } }, sampler: { type: 'random' }, budget: { trials: 2 } },
        train: { kind: 'train', datasetId: 'co2', target: 'CO2', model: 'linear' },
      }),
    );
    const study = json<StudySummary>('study', 'create', '-f', file, '--wait');
    expect(study.status).toBe('completed');
    const v = json<ModelVersion>('study', 'register', study.id, '--name', 'co2-best', '--tag', 'from=study');
    expect(v).toMatchObject({ model: 'co2-best', version: 1, tags: { from: 'study' }, source: { kind: 'study', ref: study.id }, lineage: { studyId: study.id, trialNumber: study.best!.number } });
    expect(v.lineage.metrics['val.rmse']).toBe(study.best!.value);
  }, 120_000);
});
