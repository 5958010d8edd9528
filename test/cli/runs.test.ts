/**
 * `trainyard runs ...` as a user runs it: a real process on a temp data directory whose store was
 * filled through the tracking capability (no training needed to exercise search, compare, export
 * and delete).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataPaths } from '../../src/core/paths';
import { openStore } from '../../src/core/store';
import { Tracking } from '../../src/core/tracking';
import { tempDir } from '../helpers/tmp';

const BIN = fileURLToPath(new URL('../../bin/trainyard.mjs', import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());

function trainyard(...args: string[]) {
  // stdin is a pipe, not a terminal: exactly what a script sees.
  const r = spawnSync(process.execPath, [BIN, '--data-dir', t.dir, ...args], { encoding: 'utf8', timeout: 120_000, input: '' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Page {
  runs: { id: string }[];
  total: number;
}

function json<T = Page>(...args: string[]): T {
  const r = trainyard(...args, '--json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
}

const ids: Record<string, string> = {};

beforeAll(async () => {
  mkdirSync(t.dir, { recursive: true });
  const store = openStore(dataPaths(t.dir).db);
  const tracking = new Tracking(store);
  const runs: { name: string; experiment: string; params: { model: string; lr: number; window: number }; rmse: number; tags: Record<string, string> }[] = [
    { name: 'mlp', experiment: 'co2', params: { model: 'mlp', lr: 0.01, window: 12 }, rmse: 0.7, tags: { stage: 'candidate' } },
    { name: 'lstm', experiment: 'co2', params: { model: 'lstm', lr: 0.001, window: 12 }, rmse: 0.4, tags: {} },
    { name: 'gru', experiment: 'co2', params: { model: 'gru', lr: 0.001, window: 24 }, rmse: 0.3, tags: { stage: 'candidate' } },
    { name: 'other', experiment: 'weather', params: { model: 'gru', lr: 0.1, window: 24 }, rmse: 0.2, tags: {} },
  ];
  for (const r of runs) {
    const id = await tracking.startRun({ experiment: r.experiment, jobId: null, model: r.params.model, datasetId: null, datasetSha256: null, params: r.params });
    await tracking.recordMetrics([
      { runId: id, key: 'test.rmse', step: 0, ts: 1, value: r.rmse },
      { runId: id, key: 'naive.rmse', step: 0, ts: 1, value: 1 },
      ...Array.from({ length: 30 }, (_, step) => ({ runId: id, key: 'loss', step, ts: 100 + step, value: 1 / (step + 1) })),
    ]);
    await tracking.update(id, { tags: r.tags });
    await tracking.finishRun(id, { status: 'completed' });
    // What the pipeline leaves on disk for a run: its model folder.
    const dir = join(dataPaths(t.dir).models, id);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'weights.bin'), Buffer.alloc(2048));
    await tracking.addArtifacts(id, [{ kind: 'weights', path: join(dir, 'weights.bin'), sizeBytes: 2048, sha256: 'x' }]);
    ids[r.name] = id;
  }
  await store.close();
});

describe('trainyard runs', () => {
  it('lists runs a query selects, sorted by a metric, as JSON and as a table', () => {
    const page = json('runs', 'list', '--query', 'metrics.test.rmse < 0.5 and (params.model = "lstm" or tags.stage = "candidate")', '--sort', 'metrics.test.rmse');
    expect(page.total).toBe(2);
    expect(page.runs.map((r) => r.id)).toEqual([ids.gru, ids.lstm]);

    const exp = json('runs', 'list', '--experiment', 'weather');
    expect(exp.runs.map((r) => r.id)).toEqual([ids.other]);

    const text = trainyard('runs', 'list', '--sort', 'params.lr', '--order', 'desc', '--limit', '2');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/params\.lr/);
    expect(text.stdout).toMatch(/1-2 of 4 runs/);
    const lines = text.stdout.trim().split('\n');
    expect(lines[1]).toContain(ids.other); // lr 0.1 first
  });

  it('a query with a syntax error exits non-zero and points at the position', () => {
    const r = trainyard('runs', 'list', '--query', 'metrics.test.rmse < and params.lr = 1');
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^trainyard: Syntax error in the query at column 21: expected a value after "<"/);
    expect(lines[1]).toBe('  metrics.test.rmse < and params.lr = 1');
    expect(lines[2]).toBe(`  ${' '.repeat(20)}^`);

    const sort = trainyard('runs', 'list', '--sort', 'colour');
    expect(sort.code).not.toBe(0);
    expect(sort.stderr).toMatch(/Cannot sort by "colour"/);
  });

  it('compares runs: params side by side with what differs marked, and final metrics', () => {
    const cmp = json<{ params: unknown[] }>('runs', 'compare', ids.lstm, ids.gru);
    expect(cmp.params).toEqual([
      { key: 'lr', values: [0.001, 0.001], differs: false },
      { key: 'model', values: ['lstm', 'gru'], differs: true },
      { key: 'window', values: [12, 24], differs: true },
    ]);
    const text = trainyard('runs', 'compare', ids.lstm, ids.gru);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/params \(\* differs: 2 of 3\)/);
    expect(text.stdout).toMatch(/^\* model\s+lstm\s+gru$/m);
    expect(text.stdout).toMatch(/^ {2}lr\s+0\.001\s+0\.001$/m);
    expect(text.stdout).toMatch(/^test\.rmse\s+0\.4\s+0\.3$/m);

    const one = trainyard('runs', 'compare', ids.lstm);
    expect(one.code).not.toBe(0);
    expect(one.stderr).toMatch(/at least two/);
  });

  it('exports CSV to a file and JSON to stdout', () => {
    const file = join(t.dir, 'candidates.csv');
    const r = trainyard('runs', 'export', '--format', 'csv', '--query', 'tags.stage = "candidate"', '-o', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote 2 runs/);
    const parsed = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8').trimEnd(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.data.map((row) => row.id).sort()).toEqual([ids.mlp, ids.gru].sort());
    expect(parsed.data.find((row) => row.id === ids.gru)).toMatchObject({ 'params.model': 'gru', 'params.window': '24', 'metrics.test.rmse': '0.3', 'tags.stage': 'candidate' });

    const out = trainyard('runs', 'export', '--format', 'json', '--experiment', 'weather');
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject([{ id: ids.other, params: { model: 'gru' }, metrics: { 'test.rmse': 0.2 } }]);

    const bad = trainyard('runs', 'export', '--format', 'xml');
    expect(bad.code).not.toBe(0);
  });

  it('writes one series whole as CSV, or its points as JSON; a key the run lacks is named', () => {
    const file = join(t.dir, 'loss.csv');
    const r = trainyard('runs', 'series', ids.lstm, 'loss', '-o', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/Wrote 30 points of loss/);
    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('step,ts,value');
    expect(lines.slice(1, 3)).toEqual(['0,100,1', '1,101,0.5']);
    expect(lines).toHaveLength(31);
    const out = json<{ key: string; points: { step: number; ts: number; value: number }[] }>('runs', 'series', ids.lstm, 'loss');
    expect(out.points).toHaveLength(30);
    expect(out.points[29]).toEqual({ step: 29, ts: 129, value: 1 / 30 });
    const missing = trainyard('runs', 'series', ids.lstm, 'val_loss');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toMatch(/^trainyard: .*val_loss/);
  });

  it('archive hides a run from lists; tags are set from the command line', () => {
    expect(trainyard('runs', 'archive', ids.other).code).toBe(0);
    expect(json('runs', 'list').total).toBe(3);
    expect(json('runs', 'list', '--all').total).toBe(4);
    expect(trainyard('runs', 'archive', ids.other, '--undo').code).toBe(0);
    expect(trainyard('runs', 'tag', ids.lstm, 'stage=prod', 'owner=ana').stdout).toMatch(/owner=ana {2}stage=prod/);
    expect(json('runs', 'list', '--query', 'tags.stage = "prod"').runs.map((r) => r.id)).toEqual([ids.lstm]);
  });

  it('delete asks first (refuses without a terminal), then deletes rows and files for good with --yes', () => {
    const folder = join(dataPaths(t.dir).models, ids.mlp);
    const refused = trainyard('runs', 'delete', ids.mlp);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--yes/);
    expect(existsSync(folder)).toBe(true);
    expect(json<{ id: string }>('runs', 'show', ids.mlp).id).toBe(ids.mlp);

    const done = trainyard('runs', 'delete', ids.mlp, '--yes');
    expect(done.code, done.stderr).toBe(0);
    expect(done.stdout).toMatch(/Deleted 1 run, freed 2\.0 KB/);
    expect(existsSync(folder)).toBe(false);
    const gone = trainyard('runs', 'show', ids.mlp);
    expect(gone.code).not.toBe(0);
    expect(gone.stderr).toMatch(/was not found/);
    expect(json('runs', 'list', '--all').total).toBe(3);
  });
});
