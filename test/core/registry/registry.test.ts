/**
 * The registry's store, aliases and gate through the contract, against a real core: real SQLite,
 * real worker processes training linear forecasters on the bundled CO2 series, real hook processes
 * and a real HTTP server for URL hooks.
 */
import { createServer, type Server } from 'node:http';
import { appendFileSync, chmodSync, cpSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreApp } from '../../../src/core/app';
import { DatasetCatalog } from '../../../src/core/datasets';
import { EventBus } from '../../../src/core/events';
import { loadForecaster } from '../../../src/core/models';
import { VersionDocument } from '../../../src/core/registry';
import { coreHandlers } from '../../../src/core/registry/handlers';
import { createScorer } from '../../../src/core/registry/predict/handlers';
import { WorkerPool, forkLauncher } from '../../../src/core/workers';
import { dataPaths } from '../../../src/core/paths';
import { openStore } from '../../../src/core/store';
import { Tracking } from '../../../src/core/tracking';
import type { RegisteredModel } from '../../../src/shared/contract';
import { Unavailable } from '../../../src/shared/errors';
import type { Client } from '../../../src/shared/rpc';
import { tempDir } from '../../helpers/tmp';
import { CORE_LOG_FILE } from '../../../src/core/log';
import { listBlobs, startCore, trainLinear } from './helpers';

let core: CoreApp;
let client: Client;
let dataDir: string;
let cleanup: () => void;
let datasetId: string;
const runs: Record<'a' | 'b' | 'adjusted' | 'dup' | 'tampered', string> = { a: '', b: '', adjusted: '', dup: '', tampered: '' };
const updates: RegisteredModel[] = [];

async function refusal(p: Promise<unknown>): Promise<{ code: string; message: string; field?: string }> {
  try {
    await p;
  } catch (err) {
    return err as { code: string; message: string; field?: string };
  }
  throw new Error('expected a refusal');
}

const coreLogMessages = (): string[] =>
  readFileSync(join(dataDir, 'logs', CORE_LOG_FILE), 'utf8')
    .trim()
    .split('\n')
    .map((l) => (JSON.parse(l) as { message: string }).message);

beforeAll(async () => {
  const t = tempDir();
  cleanup = t.cleanup;
  dataDir = t.dir;
  ({ core, client } = await startCore(dataDir));
  client.on('model.updated', (m) => updates.push(m));
  datasetId = (await client.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } })).id;
  runs.a = await trainLinear(client.api, datasetId, { params: { window: 24 } });
  runs.b = await trainLinear(client.api, datasetId, { params: { window: 2, l2: 1000 } });
  runs.adjusted = await trainLinear(client.api, datasetId, { target: 'adjusted CO2' });
  runs.dup = await trainLinear(client.api, datasetId, { params: { window: 6 } });
  runs.tampered = await trainLinear(client.api, datasetId, { params: { window: 8 } });
}, 300_000);

afterAll(async () => {
  client?.close();
  await core?.close();
  cleanup?.();
});

describe('registering versions', () => {
  it('registers v1 and v2 of a name from completed runs, with lineage, schema and a content-addressed manifest', async () => {
    const run = await client.api.runs.get({ id: runs.a });
    const v1 = await client.api.models.register({ name: 'co2', runId: runs.a, description: 'CO2 **monthly**', tags: { team: 'climate' } });
    expect(v1).toMatchObject({ model: 'co2', version: 1, description: 'CO2 **monthly**', tags: { team: 'climate' }, aliases: [], gate: null, source: { kind: 'run', ref: runs.a } });
    expect(v1.schema).toMatchObject({ task: 'forecast', target: 'CO2', timeColumn: 'Date', frequency: 'monthly', window: 24 });
    expect(v1.lineage).toMatchObject({
      runId: runs.a,
      jobId: run.jobId,
      experiment: run.experiment,
      studyId: null,
      datasetId,
      datasetName: expect.any(String),
      datasetSha256: run.datasetSha256,
      family: 'linear',
      predictor: 'ridge',
      backend: run.backend,
      formatVersion: 2,
      trainedAt: run.finishedAt,
    });
    expect(v1.lineage.params.window).toBe(24);
    expect(v1.lineage.metrics['val.rmse']).toBe(run.summary['val.rmse']);
    expect(v1.lineage.metrics['test.rmse']).toBe(run.summary['test.rmse']);
    expect(v1.lineage.metrics['naive.val.rmse']).toBe(run.summary['naive.val.rmse']);
    expect(Object.keys(v1.lineage.metrics).every((k) => /^(val|test|naive|seasonal_naive|skill)\.|^val_loss$/.test(k))).toBe(true);
    expect((v1.lineage.split as { method: string }).method).toBe('chronological');

    // Each file is the run's recorded bytes, held once under its sha256 and linked read-only into the version's folder.
    const modelFiles = run.artifacts.filter((a) => a.path.startsWith(join(dataDir, 'models', runs.a)));
    expect(v1.files.map((f) => f.sha256).sort()).toEqual(modelFiles.map((a) => a.sha256).sort());
    expect(v1.sizeBytes).toBe(modelFiles.reduce((n, a) => n + a.sizeBytes, 0));
    const dir = join(dataDir, 'registry', 'models', 'co2', '1');
    for (const f of v1.files) {
      const blob = join(dataDir, 'registry', 'blobs', 'sha256', f.sha256);
      expect(readFileSync(join(dir, f.path)).equals(readFileSync(blob))).toBe(true);
      expect(statSync(join(dir, f.path)).mode & 0o222).toBe(0);
    }
    // The existing loader reads the registered folder unchanged.
    const forecaster = await loadForecaster(dir);
    expect(forecaster.preprocessing.window).toBe(24);

    const v2 = await client.api.models.register({ name: 'co2', runId: runs.b });
    expect(v2.version).toBe(2);
    expect(v2.digest).not.toBe(v1.digest);
    const detail = await client.api.models.get({ name: 'co2' });
    expect(detail.model).toMatchObject({ name: 'co2', task: 'forecast', latestVersion: 2, versionCount: 2, gate: { rules: [], protectedAliases: ['champion'], hooks: [] } });
    expect(detail.versions.map((v) => v.version)).toEqual([2, 1]);
    expect(updates.filter((u) => u.name === 'co2').map((u) => u.versionCount)).toEqual([1, 2]);
  });

  it('sets the description and tags of a model and of a version', async () => {
    await client.api.models.update({ name: 'co2', description: '# CO2\nMauna Loa', tags: { owner: 'ana' } });
    await client.api.models.update({ name: 'co2', version: 2, tags: { note: 'short window' } });
    const d = await client.api.models.get({ name: 'co2' });
    expect(d.model).toMatchObject({ description: '# CO2\nMauna Loa', tags: { owner: 'ana' } });
    expect(d.versions.find((v) => v.version === 2)?.tags).toEqual({ note: 'short window' });
    expect(d.versions.find((v) => v.version === 1)?.tags).toEqual({ team: 'climate' });
  });

  it('a failed register (a model file changed after the run recorded it) leaves no version, no model, no folder and no new blob', async () => {
    const run = await client.api.runs.get({ id: runs.tampered });
    const predictions = run.artifacts.find((a) => a.kind === 'predictions')!;
    const blobsBefore = listBlobs(dataDir);
    appendFileSync(predictions.path, '1999-01-01T00:00:00Z,1,1,1,0\n');
    const err = await refusal(client.api.models.register({ name: 'tampered', runId: runs.tampered }));
    expect(err.code).toBe('Conflict');
    expect(err.message).toMatch(new RegExp(`${predictions.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is \\d+ bytes, but its record says ${predictions.sizeBytes}`));
    expect((await client.api.models.list({})).map((m) => m.name)).not.toContain('tampered');
    expect(existsSync(join(dataDir, 'registry', 'models', 'tampered'))).toBe(false);
    expect(listBlobs(dataDir)).toEqual(blobsBefore);
  });

  it('refuses a run that is not completed, a run that does not exist, and a name whose task differs', async () => {
    // A run still running, recorded through tracking as a worker's job would have it.
    const store = openStore(dataPaths(dataDir).db);
    const running = await new Tracking(store, { dataDir }).startRun({ experiment: 'default', jobId: null, model: 'linear', datasetId, datasetSha256: null, params: {} });
    await store.close();
    const notDone = await refusal(client.api.models.register({ name: 'co2', runId: running }));
    expect(notDone).toMatchObject({ code: 'Conflict', message: `Run ${running} is running; only a completed run can be registered` });
    const missing = await refusal(client.api.models.register({ name: 'co2', runId: '01NOSUCHRUN' }));
    expect(missing).toMatchObject({ code: 'NotFound', message: 'Run 01NOSUCHRUN was not found' });

    const anomaly = await trainLinear(client.api, datasetId, { model: 'isolation_forest' });
    const task = await refusal(client.api.models.register({ name: 'co2', runId: anomaly }));
    expect(task.code).toBe('Conflict');
    expect(task.message).toBe(`Model co2 holds forecast models; this run (${anomaly}) is an anomaly model. Register it under another name`);
    expect((await client.api.models.get({ name: 'co2' })).model.versionCount).toBe(2);
  }, 120_000);
});

describe('references', () => {
  it('NAME, NAME:N and NAME@alias resolve; what is missing is named', async () => {
    expect((await client.api.models.resolve({ ref: 'co2' })).version).toBe(2);
    expect((await client.api.models.resolve({ ref: 'co2:1' })).version).toBe(1);
    expect((await refusal(client.api.models.resolve({ ref: 'co2:9' }))).message).toBe('model co2 has no version 9; it has 1-2');
    expect((await refusal(client.api.models.resolve({ ref: 'co2@champion' }))).message).toBe('alias champion of co2 points nowhere');
    expect((await refusal(client.api.models.resolve({ ref: 'nope' }))).message).toBe('Registered model nope was not found');
    expect((await refusal(client.api.models.resolve({ ref: 'co2:x' }))).code).toBe('InvalidInput');
  });
});

describe('aliases', () => {
  it('sets, moves and removes an unprotected alias, each change an event in the history; a missing version changes nothing', async () => {
    const set = await client.api.models.setAlias({ name: 'co2', alias: 'candidate', version: 1, reason: 'first try' });
    expect(set).toMatchObject({ alias: 'candidate', fromVersion: null, toVersion: 1, reason: 'first try', forced: false, gate: null, hooks: [] });
    const moved = await client.api.models.setAlias({ name: 'co2', alias: 'candidate', version: 2 });
    expect(moved).toMatchObject({ fromVersion: 1, toVersion: 2, reason: null });
    expect((await client.api.models.resolve({ ref: 'co2@candidate' })).version).toBe(2);
    await new Promise((r) => setImmediate(r));
    expect(updates.at(-1)).toMatchObject({ name: 'co2', aliases: { candidate: 2 } });

    const before = await client.api.models.get({ name: 'co2' });
    const missing = await refusal(client.api.models.setAlias({ name: 'co2', alias: 'candidate', version: 9 }));
    expect(missing).toMatchObject({ code: 'NotFound', message: 'model co2 has no version 9; it has 1-2' });
    const after = await client.api.models.get({ name: 'co2' });
    expect(after.history).toEqual(before.history);
    expect(after.model.aliases).toEqual({ candidate: 2 });

    const removed = await client.api.models.removeAlias({ name: 'co2', alias: 'candidate', reason: 'retired' });
    expect(removed).toMatchObject({ fromVersion: 2, toVersion: null, reason: 'retired' });
    const d = await client.api.models.get({ name: 'co2' });
    expect(d.model.aliases).toEqual({});
    expect(d.history.map((e) => [e.alias, e.fromVersion, e.toVersion])).toEqual([
      ['candidate', 2, null],
      ['candidate', 1, 2],
      ['candidate', null, 1],
    ]);
    expect((await refusal(client.api.models.removeAlias({ name: 'co2', alias: 'candidate' }))).message).toBe('alias candidate of co2 points nowhere');
  });
});

describe('the gate', () => {
  it('refuses invalid rule text at setGate, naming the rule', async () => {
    const bad = await refusal(client.api.models.setGate({ name: 'co2', gate: { rules: [{ kind: 'metric', expr: 'test.skill > 0' }, { kind: 'metric', expr: 'val.rmse <== 3' }] } }));
    expect(bad).toMatchObject({ code: 'InvalidInput', field: 'gate.rules.1.expr' });
    expect(bad.message).toMatch(/The gate rule "val.rmse <== 3" is not valid/);
    const code = await refusal(client.api.models.setGate({ name: 'co2', gate: { rules: [{ kind: 'metric', expr: 'process.exit(1) > 0' }] } }));
    expect(code.code).toBe('InvalidInput');
    const creds = await refusal(client.api.models.setGate({ name: 'co2', gate: { hooks: [{ kind: 'url', url: 'http://user:secret@localhost:1/x' }] } }));
    expect(creds).toMatchObject({ code: 'InvalidInput', field: 'gate.hooks.0.url' });
    expect(creds.message).not.toContain('secret');
    expect((await client.api.models.get({ name: 'co2' })).model.gate.rules).toEqual([]);
  });

  it('accepts a version that passes, refuses one that fails (report stored, message with value and threshold), and a forced move records its reason', async () => {
    const [v1, v2] = [await client.api.models.resolve({ ref: 'co2:1' }), await client.api.models.resolve({ ref: 'co2:2' })];
    const r1 = v1.lineage.metrics['val.rmse'];
    const r2 = v2.lineage.metrics['val.rmse'];
    expect(r1).not.toBe(r2);
    const [good, bad] = r1 < r2 ? [v1, v2] : [v2, v1];
    const between = (r1 + r2) / 2;
    await client.api.models.setGate({ name: 'co2', gate: { rules: [{ kind: 'metric', expr: `val.rmse <= ${between}` }, { kind: 'metric', expr: 'test.rmse > 0' }] } });

    const checked = await client.api.models.checkGate({ ref: `co2:${bad.version}` });
    expect(checked).toMatchObject({ alias: null, passed: false });
    expect(checked.checks[0]).toMatchObject({ rule: `val.rmse <= ${between}`, kind: 'metric', value: bad.lineage.metrics['val.rmse'], threshold: between, passed: false });
    expect(checked.checks[1]).toMatchObject({ passed: true });

    const promoted = await client.api.models.setAlias({ name: 'co2', alias: 'champion', version: good.version, reason: 'best val' });
    expect(promoted).toMatchObject({ toVersion: good.version, forced: false, gate: { passed: true, alias: 'champion' } });

    const refused = await refusal(client.api.models.setAlias({ name: 'co2', alias: 'champion', version: bad.version }));
    expect(refused.code).toBe('Conflict');
    expect(refused.message).toContain(`The gate refused co2:${bad.version} as @champion`);
    expect(refused.message).toContain(`val.rmse <= ${between}: val.rmse = ${Number(bad.lineage.metrics['val.rmse'].toPrecision(6))} is not <= ${Number(between.toPrecision(6))}`);
    expect((await client.api.models.resolve({ ref: 'co2@champion' })).version).toBe(good.version);
    const reports = (await client.api.models.get({ name: 'co2' })).reports;
    expect(reports[0]).toMatchObject({ version: bad.version, alias: 'champion', passed: false });

    const noReason = await refusal(client.api.models.setAlias({ name: 'co2', alias: 'champion', version: bad.version, force: true }));
    expect(noReason.code).toBe('InvalidInput');
    const forced = await client.api.models.setAlias({ name: 'co2', alias: 'champion', version: bad.version, force: true, reason: 'needed for the demo' });
    expect(forced).toMatchObject({ fromVersion: good.version, toVersion: bad.version, forced: true, reason: 'needed for the demo', gate: { passed: false } });
    const d = await client.api.models.get({ name: 'co2' });
    expect(d.history[0]).toMatchObject({ alias: 'champion', forced: true, reason: 'needed for the demo' });
    expect(d.versions.find((v) => v.version === bad.version)).toMatchObject({ aliases: ['champion'], gate: { passed: false } });
    expect(d.model.lastGate?.id).toBe(forced.gate!.id);
    const log = coreLogMessages();
    expect(log).toContain(`co2@champion moved to version ${bad.version} with a failing gate, forced`);
    // Back to the good one for the tests that follow.
    await client.api.models.setAlias({ name: 'co2', alias: 'champion', version: good.version });
  });

  it('a metric the version lacks fails the check and says so', async () => {
    await client.api.models.setGate({ name: 'co2', gate: { rules: [{ kind: 'metric', expr: 'test.f1 >= 0.5' }] } });
    const r = await client.api.models.checkGate({ ref: 'co2:1' });
    const check = r.checks.find((c) => c.kind === 'metric')!;
    expect(check).toMatchObject({ rule: 'test.f1 >= 0.5', passed: false, value: null, threshold: 0.5 });
    expect(r.passed).toBe(false);
    expect(check.detail).toBe("the version's metrics have no test.f1, so the rule cannot be checked");
  });

  it('the champion rule passes when its alias points nowhere or at the candidate itself, and refuses a metric with no known direction', async () => {
    await client.api.models.setGate({ name: 'co2', gate: { rules: [{ kind: 'champion', metric: 'test.rmse', alias: 'gold', tolerance: 0.01 }, { kind: 'champion', metric: 'test.rmse', alias: 'champion', tolerance: 0.01 }] } });
    const champion = (await client.api.models.resolve({ ref: 'co2@champion' })).version;
    const self = await client.api.models.checkGate({ ref: `co2:${champion}` });
    expect(self.checks.filter((c) => c.kind === 'champion')).toMatchObject([
      { rule: 'no worse than @gold on test.rmse by more than 1%', passed: true, detail: '@gold points nowhere yet: nothing to compare with' },
      { rule: 'no worse than @champion on test.rmse by more than 1%', passed: true, detail: `co2:${champion} is already @champion` },
    ]);
    const unknown = await refusal(client.api.models.setGate({ name: 'co2', gate: { rules: [{ kind: 'champion', metric: 'test.wobble', alias: 'champion', tolerance: 0.01 }] } }));
    expect(unknown).toMatchObject({ code: 'InvalidInput', field: 'gate.rules.0.metric' });
    await client.api.models.setGate({ name: 'co2', gate: { rules: [] } });
  });

  it('schema checks refuse a version with another target as champion', async () => {
    const v3 = await client.api.models.register({ name: 'co2', runId: runs.adjusted });
    expect(v3.schema.target).toBe('adjusted CO2');
    const err = await refusal(client.api.models.setAlias({ name: 'co2', alias: 'champion', version: v3.version }));
    expect(err.code).toBe('Conflict');
    expect(err.message).toMatch(/schema\.target: target adjusted CO2, but co2:\d \(@champion\) has CO2/);
    const r = await client.api.models.checkGate({ ref: `co2:${v3.version}` });
    expect(r.checks.filter((c) => c.kind === 'schema').map((c) => [c.rule, c.passed])).toEqual([
      ['schema.task', true],
      ['schema.target', false],
      ['schema.timeColumn', true],
      ['schema.inputs', true],
      ['schema.frequency', true],
    ]);
  });
});

describe('promotion hooks', () => {
  let server: Server;
  let url: string;
  const received: { body: unknown; type: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ body: JSON.parse(body), type: req.headers['content-type'] });
        res.writeHead(req.url === '/fail' ? 500 : 204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const addr = server.address() as { port: number };
    url = `http://127.0.0.1:${addr.port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('runs a command (JSON on stdin, env set) and POSTs to a URL after a protected alias moves; a failing hook does not undo the move', async () => {
    const out = join(dataDir, 'hook-out');
    await client.api.models.setGate({
      name: 'co2',
      gate: {
        rules: [],
        protectedAliases: ['champion', 'production'],
        hooks: [
          { kind: 'command', command: `cat > '${out}.json'; echo "$TRAINYARD_MODEL $TRAINYARD_VERSION $TRAINYARD_ALIAS" > '${out}.env'` },
          { kind: 'url', url: `${url}/hook` },
          { kind: 'command', command: 'echo broken >&2; exit 3' },
          { kind: 'url', url: `${url}/fail` },
        ],
      },
    });
    const event = await client.api.models.setAlias({ name: 'co2', alias: 'production', version: 1, reason: 'ship it' });
    expect(event.hooks.map((h) => [h.hook.kind, h.ok])).toEqual([
      ['command', true],
      ['url', true],
      ['command', false],
      ['url', false],
    ]);
    expect(event.hooks[2].detail).toBe('exit 3: broken');
    expect(event.hooks[3].detail).toBe('HTTP 500');
    const stdin = JSON.parse(readFileSync(`${out}.json`, 'utf8'));
    expect(stdin).toMatchObject({ id: event.id, model: 'co2', version: 1, alias: 'production', toVersion: 1, reason: 'ship it', gate: { passed: true } });
    expect(readFileSync(`${out}.env`, 'utf8').trim()).toBe('co2 1 production');
    expect(received[0]).toMatchObject({ type: 'application/json', body: { id: event.id, model: 'co2', version: 1 } });
    // The move stands; the outcomes are kept with the event and the failures are in the core log.
    expect((await client.api.models.resolve({ ref: 'co2@production' })).version).toBe(1);
    const d = await client.api.models.get({ name: 'co2' });
    expect(d.history[0].hooks.map((h) => h.ok)).toEqual([true, true, false, false]);
    const log = coreLogMessages();
    expect(log).toContain('promotion hook command "echo broken >&2; exit 3" failed after co2@production moved to version 1: exit 3: broken');
    expect(log).toContain(`promotion hook POST ${url}/fail failed after co2@production moved to version 1: HTTP 500`);
    // An unprotected alias runs no hooks.
    const plain = await client.api.models.setAlias({ name: 'co2', alias: 'staging', version: 1 });
    expect(plain.hooks).toEqual([]);
    await client.api.models.setGate({ name: 'co2', gate: { hooks: [] } });
  });

  it('a URL that never answers is given up after 10 s, recorded, and the move stands', async () => {
    const silent = createServer(() => undefined); // takes the request, never answers
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      await client.api.models.setGate({ name: 'co2', gate: { hooks: [{ kind: 'url', url: `http://127.0.0.1:${port}/slow` }] } });
      const event = await client.api.models.setAlias({ name: 'co2', alias: 'production', version: 2 });
      expect(event.hooks).toMatchObject([{ ok: false, detail: 'no answer within 10 s' }]);
      expect((await client.api.models.resolve({ ref: 'co2@production' })).version).toBe(2);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((r) => silent.close(() => r()));
      await client.api.models.setGate({ name: 'co2', gate: { hooks: [] } });
    }
  }, 30_000);
});

describe('removing', () => {
  it('removes a version (its folder, and blobs no other version uses), refuses one an alias points at, and removes a whole model', async () => {
    const a = await client.api.models.register({ name: 'dup', runId: runs.dup });
    const b = await client.api.models.register({ name: 'dup', runId: runs.dup });
    expect(b.digest).toBe(a.digest); // the same bytes: the same blobs
    const blobs = a.files.map((f) => join(dataDir, 'registry', 'blobs', 'sha256', f.sha256));
    await client.api.models.setAlias({ name: 'dup', alias: 'candidate', version: 2 });
    expect((await refusal(client.api.models.remove({ name: 'dup', version: 2 }))).message).toBe('Version 2 of dup is @candidate; move or remove that alias first');

    expect(await client.api.models.remove({ name: 'dup', version: 1 })).toEqual({ removedVersions: 1 });
    expect(existsSync(join(dataDir, 'registry', 'models', 'dup', '1'))).toBe(false);
    expect(blobs.every((p) => existsSync(p))).toBe(true); // version 2 still uses them
    expect((await refusal(client.api.models.resolve({ ref: 'dup:1' }))).message).toBe('model dup has no version 1; it has 2');
    // A removed version's number is never given again, even when it was the latest.
    const c = await client.api.models.register({ name: 'dup', runId: runs.dup });
    expect(c.version).toBe(3);
    await client.api.models.remove({ name: 'dup', version: 3 });
    expect((await client.api.models.register({ name: 'dup', runId: runs.dup })).version).toBe(4);
    await client.api.models.remove({ name: 'dup', version: 4 });

    expect(await client.api.models.remove({ name: 'dup' })).toEqual({ removedVersions: 1 });
    expect(existsSync(join(dataDir, 'registry', 'models', 'dup'))).toBe(false);
    expect(blobs.some((p) => existsSync(p))).toBe(false);
    expect((await client.api.models.list({})).map((m) => m.name)).not.toContain('dup');
    // co2's blobs are untouched.
    for (const f of (await client.api.models.resolve({ ref: 'co2:1' })).files) expect(existsSync(join(dataDir, 'registry', 'blobs', 'sha256', f.sha256))).toBe(true);
  });
});

describe('the port predict and publishing use', () => {
  /** The registry's core part over its own connection to a data directory, as the other parts get it. */
  function portOn(dir: string) {
    const store = openStore(dataPaths(dir).db);
    const deps = { store, bus: new EventBus(), tracking: new Tracking(store, { dataDir: dir }), datasets: new DatasetCatalog(store, dir), pool: new WorkerPool({ launcher: forkLauncher }), dataDir: dir };
    return { port: coreHandlers({ ...deps, scorer: createScorer(deps) }).port, close: () => store.close() };
  }

  it('opens a reference, documents it, and imports the document into a fresh data directory: verified, all or nothing', async () => {
    const here = portOn(dataDir);
    const fresh = tempDir();
    const there = portOn(fresh.dir);
    try {
      const disk = await here.port.open('co2@champion');
      expect(disk.dir).toBe(join(dataDir, 'registry', 'models', 'co2', String(disk.version.version)));
      expect(disk.card).toMatchObject({ task: 'forecast', target: 'CO2' });
      const { document, dir } = await here.port.document('co2@champion');
      expect(VersionDocument.parse(document)).toMatchObject({ model: 'co2', version: disk.version.version, digest: disk.version.digest, lineage: disk.version.lineage });

      // A copy with one byte changed is refused and leaves nothing.
      const tampered = join(fresh.dir, 'tampered');
      cpSync(dir, tampered, { recursive: true });
      const victim = join(tampered, document.files[0].path);
      chmodSync(victim, 0o644);
      writeFileSync(victim, Buffer.concat([readFileSync(victim).subarray(1), Buffer.from('x')]));
      const bad = await refusal(there.port.importVersion('pulled', document, tampered, { kind: 'folder', ref: tampered }));
      expect(bad.code).toBe('Conflict');
      expect(bad.message).toMatch(new RegExp(`has sha256 [0-9a-f]{64}, but its record says ${document.files[0].sha256}`));
      expect(await refusal(there.port.get('pulled'))).toMatchObject({ code: 'NotFound' });
      expect(listBlobs(fresh.dir)).toEqual([]);
      // A changed manifest does not match its digest.
      const renamed = { ...document, files: document.files.map((f, i) => (i === 0 ? { ...f, kind: 'other' } : f)) };
      expect((await refusal(there.port.importVersion('pulled', renamed, dir, { kind: 'folder', ref: dir }))).message).toMatch(/the document was changed/);

      const pulled = await there.port.importVersion('pulled', document, dir, { kind: 'pull', ref: 'localhost:5000/co2:1' });
      expect(pulled).toMatchObject({ model: 'pulled', version: 1, digest: document.digest, lineage: document.lineage, schema: document.schema, source: { kind: 'pull', ref: 'localhost:5000/co2:1' } });
      expect((await there.port.get('pulled')).task).toBe('forecast');
      // A version's folder that went missing is rebuilt from its blobs.
      rmSync(join(fresh.dir, 'registry', 'models', 'pulled', '1'), { recursive: true });
      const again = await there.port.open('pulled');
      expect(readFileSync(join(again.dir, 'card.json')).equals(readFileSync(join(dir, 'card.json')))).toBe(true);
      const anomaly = { ...document, schema: { ...document.schema, task: 'anomaly' as const } };
      expect((await refusal(there.port.importVersion('pulled', anomaly, dir, { kind: 'pull', ref: 'x' }))).message).toMatch(/Model pulled holds forecast models/);
      expect((await there.port.get('pulled')).versionCount).toBe(1);
    } finally {
      await here.close();
      await there.close();
      fresh.cleanup();
    }
  });
});

describe('the champion rule with scores', () => {
  it('compares the candidate with what the alias points at, on the candidate\'s dataset, in the metric\'s direction', async () => {
    // The real scorer (predict's, in worker processes); the expected numbers come from models.evaluate
    // on the same rows, so the check must use the candidate's score against the alias's version's.
    const store = openStore(dataPaths(dataDir).db);
    const pool = new WorkerPool({ launcher: forkLauncher });
    const deps = { store, bus: new EventBus(), tracking: new Tracking(store, { dataDir }), datasets: new DatasetCatalog(store, dataDir), pool, dataDir };
    const { methods } = coreHandlers({ ...deps, scorer: createScorer(deps) });
    try {
      const champion = await methods.resolve({ ref: 'co2@champion' });
      const other = await methods.resolve({ ref: `co2:${champion.version === 1 ? 2 : 1}` });
      const scored = await client.api.models.evaluate({ refs: [`co2:${other.version}`, `co2:${champion.version}`], data: { datasetId }, rows: 'test' });
      const [candidate, current] = scored.models.map((m) => m.metrics.rmse);
      expect(scored.rows.count).toBeGreaterThan(0);
      for (const tolerance of [0, 10]) {
        await methods.setGate({ name: 'co2', gate: { rules: [{ kind: 'champion', metric: 'test.rmse', alias: 'champion', tolerance }] } });
        const report = await methods.checkGate({ ref: `co2:${other.version}`, alias: 'champion' });
        const check = report.checks.find((c) => c.kind === 'champion')!;
        const threshold = current + tolerance * Math.abs(current);
        expect(check).toMatchObject({ value: candidate, threshold, passed: candidate <= threshold });
      }
      // A scorer that cannot score fails the check and says why.
      const unavailable = {
        evaluate: async () => {
          throw new Unavailable('the scoring worker did not start');
        },
      };
      const failing = coreHandlers({ ...deps, scorer: unavailable }).methods;
      const r = await failing.checkGate({ ref: `co2:${other.version}`, alias: 'champion' });
      expect(r.checks.find((c) => c.kind === 'champion')).toMatchObject({ passed: false, value: null });
      expect(r.checks.find((c) => c.kind === 'champion')!.detail).toMatch(new RegExp(`^could not score co2:${other.version} and co2:${champion.version} on co2-concentration.*: the scoring worker did not start$`));
    } finally {
      await methods.setGate({ name: 'co2', gate: { rules: [] } });
      await pool.closeAll();
      await store.close();
    }
  });
});

describe('registering from a study', () => {
  it("registers the best completed trial's run, with the study and trial in the lineage", async () => {
    const study = await client.api.studies.create({
      spec: { name: 'co2-linear', objective: { metric: 'val.rmse', direction: 'minimize' }, space: { window: { type: 'int', low: 3, high: 24 } }, sampler: { type: 'random' }, budget: { trials: 2 } },
      train: { kind: 'train', datasetId, target: 'CO2', model: 'linear' },
    });
    for (;;) {
      const s = await client.api.studies.get({ id: study.id });
      if (s.status !== 'running') {
        expect(s.status).toBe('completed');
        break;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const s = await client.api.studies.get({ id: study.id });
    const { trials } = await client.api.studies.trials({ id: study.id });
    const best = trials.find((t) => t.number === s.best!.number)!;
    const v = await client.api.models.register({ name: 'co2-study', studyId: study.id });
    expect(v).toMatchObject({ version: 1, source: { kind: 'study', ref: study.id }, lineage: { studyId: study.id, trialNumber: best.number, runId: best.runId } });
    expect(v.lineage.metrics['val.rmse']).toBe(s.best!.value);
  }, 180_000);
});
