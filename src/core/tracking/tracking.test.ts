import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { dataPaths } from '../paths';
import { MIGRATIONS, migrate, openStore, type Store } from '../store';
import { MAIN_THREAD_ROWS, Tracking, type MetricRow } from './index';
import { SeriesReader } from './series-read';

let t: ReturnType<typeof tempDir>;
let store: Store;
let tracking: Tracking;

beforeEach(() => {
  t = tempDir();
  store = openStore(dataPaths(t.dir).db);
  tracking = new Tracking(store);
});
afterEach(async () => {
  await tracking.close();
  await store.close();
  t.cleanup();
});

const LIST = { query: '', includeArchived: false, sort: { key: 'created', order: 'desc' as const }, offset: 0, limit: 200 };

async function run(opts: { experiment?: string; model?: string; params?: Record<string, string | number | boolean>; metrics?: Record<string, number>; status?: 'completed' | 'failed' | 'running' } = {}) {
  const id = await tracking.startRun({ experiment: opts.experiment ?? 'Default', jobId: null, model: opts.model ?? 'mlp', datasetId: null, datasetSha256: null, params: opts.params ?? {} });
  await tracking.recordMetrics(Object.entries(opts.metrics ?? {}).map(([key, value]) => ({ runId: id, key, step: 0, ts: Date.now(), value })));
  if (opts.status !== 'running') await tracking.finishRun(id, { status: opts.status ?? 'completed' });
  return id;
}

const count = (table: string, runId: string) => store.raw.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(runId) as number;

describe('metric summary', () => {
  it('holds the latest point of each series, whatever order the points arrive in', async () => {
    const id = await run({ status: 'running' });
    await tracking.recordMetrics([
      { runId: id, key: 'loss', step: 2, ts: 20, value: 0.5 },
      { runId: id, key: 'loss', step: 5, ts: 50, value: 0.2 },
      { runId: id, key: 'loss', step: 3, ts: 30, value: 0.4 },
    ]);
    expect((await tracking.get(id)).summary).toEqual({ loss: 0.2 });
    // A later batch with older steps does not move it back; a newer step does.
    await tracking.recordMetrics([{ runId: id, key: 'loss', step: 4, ts: 60, value: 9 }]);
    expect((await tracking.get(id)).summary.loss).toBe(0.2);
    await tracking.recordMetrics([{ runId: id, key: 'loss', step: 6, ts: 61, value: 0.1 }, { runId: id, key: 'acc', step: 0, ts: 61, value: 0.9 }]);
    expect((await tracking.get(id)).summary).toEqual({ acc: 0.9, loss: 0.1 });
    // The summary agrees with the history it summarises.
    const latest = store.raw.prepare("SELECT value FROM metrics WHERE run_id = ? AND key = 'loss' ORDER BY step DESC, ts DESC LIMIT 1").pluck().get(id);
    expect((await tracking.get(id)).summary.loss).toBe(latest);
  });

  it('leaves NaN points out instead of failing the batch, and keeps an infinite spike as the largest number', async () => {
    const id = await run({ status: 'running' });
    await tracking.recordMetrics([
      { runId: id, key: 'loss', step: 0, ts: 1, value: 1 },
      { runId: id, key: 'loss', step: 1, ts: 2, value: Number.NaN },
      { runId: id, key: 'loss', step: 2, ts: 3, value: Number.POSITIVE_INFINITY },
    ]);
    const [series] = await tracking.metrics(id, ['loss']);
    expect(series.points.map((p) => p.value)).toEqual([1, Number.MAX_VALUE]);
    expect((await tracking.get(id)).summary.loss).toBe(Number.MAX_VALUE);
  });

  it('is backfilled by the migration from the history already stored', async () => {
    await store.close();
    const file = join(t.dir, 'old.db');
    const raw = new Database(file);
    migrate(raw, MIGRATIONS.slice(0, 2));
    raw.exec(`INSERT INTO experiments VALUES ('e1', 'Default', 1);
      INSERT INTO runs (id, experiment_id, status, model, created_at) VALUES ('r1', 'e1', 'completed', 'mlp', 1);
      INSERT INTO metrics VALUES ('r1', 'loss', 0, 1, 3.0), ('r1', 'loss', 2, 3, 1.0), ('r1', 'loss', 1, 2, 2.0), ('r1', 'test.rmse', 0, 9, 0.5);`);
    raw.close();
    store = openStore(file);
    tracking = new Tracking(store);
    const r = await tracking.get('r1');
    expect(r.summary).toEqual({ loss: 1, 'test.rmse': 0.5 });
    expect(r).toMatchObject({ tags: {}, note: null, archived: false });
  });
});

describe('listing', () => {
  it('sorts by a metric or param (missing values last either way), paginates and counts', async () => {
    const a = await run({ params: { lr: 0.1 }, metrics: { 'test.rmse': 0.3 } });
    const b = await run({ params: { lr: 0.001 }, metrics: { 'test.rmse': 0.1 } });
    const c = await run({ params: { lr: 'auto' } });
    const d = await run({ params: { lr: 0.01 }, metrics: { 'test.rmse': 0.2 } });
    const ids = async (key: string, order: 'asc' | 'desc', offset = 0, limit = 200) => {
      const page = await tracking.list({ ...LIST, sort: { key, order }, offset, limit });
      expect(page.total).toBe(4);
      return page.runs.map((r) => r.id);
    };
    expect(await ids('metrics.test.rmse', 'asc')).toEqual([b, d, a, c]);
    expect(await ids('metrics.test.rmse', 'desc')).toEqual([a, d, b, c]);
    expect(await ids('params.lr', 'asc')).toEqual([b, d, a, c]); // numbers before text, numerically
    expect(await ids('created', 'desc')).toEqual([d, c, b, a]);
    expect(await ids('created', 'asc', 1, 2)).toEqual([b, c]);
    expect(await ids('created', 'asc', 4, 2)).toEqual([]);
    await expect(ids('colour', 'asc')).rejects.toMatchObject({ code: 'InvalidInput', field: 'sort.key' });
  });

  it('filters by experiment; archive hides a run from lists until asked for, and keeps it', async () => {
    const a = await run({ experiment: 'co2' });
    const b = await run({ experiment: 'weather' });
    expect((await tracking.list({ ...LIST, experiment: 'co2' })).runs.map((r) => r.id)).toEqual([a]);
    const archived = await tracking.update(b, { archived: true, note: 'diverged at epoch 3', tags: { stage: 'discarded' } });
    expect(archived).toMatchObject({ archived: true, note: 'diverged at epoch 3', tags: { stage: 'discarded' } });
    expect((await tracking.list(LIST)).runs.map((r) => r.id)).toEqual([a]);
    expect((await tracking.list({ ...LIST, includeArchived: true })).runs.map((r) => r.id)).toEqual([b, a]);
    expect((await tracking.list({ ...LIST, includeArchived: true, query: 'tags.stage = "discarded"' })).total).toBe(1);
    expect(await tracking.experiments()).toMatchObject([{ name: 'co2', runCount: 1 }, { name: 'weather', runCount: 1 }]);
    // Tags are replaced as a whole.
    expect((await tracking.update(b, { tags: { owner: 'ana' } })).tags).toEqual({ owner: 'ana' });
    await expect(tracking.update('nope', { note: 'x' })).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('offers the keys in use for columns and queries', async () => {
    const a = await run({ params: { lr: 0.1, window: 12 }, metrics: { 'test.rmse': 0.3, loss: 1 } });
    await tracking.update(a, { tags: { stage: 'candidate' } });
    expect(await tracking.keys()).toEqual({ params: ['lr', 'window'], metrics: ['loss', 'test.rmse'], tags: ['stage'] });
  });
});

describe('metric series', () => {
  it('downsamples long series on read and says how many points are stored', async () => {
    const id = await run({ status: 'running' });
    const points = Array.from({ length: 5000 }, (_, i) => ({ runId: id, key: 'loss', step: i, ts: 1000 + i, value: Math.sin(i / 100) + (i === 4321 ? 50 : 0) }));
    points.push(...Array.from({ length: 20 }, (_, i) => ({ runId: id, key: 'val_loss', step: i, ts: 1000 + i, value: 20 - i })));
    await tracking.recordMetrics(points);
    const series = await tracking.metrics(id, undefined, 100);
    expect(series.map((s) => [s.key, s.total])).toEqual([
      ['loss', 5000],
      ['val_loss', 20],
    ]);
    const loss = series[0].points;
    expect(loss.length).toBeLessThanOrEqual(100);
    expect(loss[0].step).toBe(0);
    expect(loss[loss.length - 1].step).toBe(4999);
    expect(loss.find((p) => p.step === 4321)?.value).toBeCloseTo(50 + Math.sin(43.21));
    expect(series[1].points).toHaveLength(20);
    expect((await tracking.metrics(id, ['val_loss'], 10))[0].points).toHaveLength(10);
  });
});

describe('compare', () => {
  it('puts params side by side, flags what differs, and gives final metrics per run', async () => {
    const a = await run({ params: { lr: 0.1, window: 12 }, metrics: { 'test.rmse': 0.3 } });
    const b = await run({ params: { lr: 0.01, window: 12, layers: 2 }, metrics: { 'test.rmse': 0.2, 'test.mae': 0.1 } });
    const cmp = await tracking.compare([b, a]);
    expect(cmp.runs.map((r) => r.id)).toEqual([b, a]);
    expect(cmp.params).toEqual([
      { key: 'layers', values: [2, null], differs: true },
      { key: 'lr', values: [0.01, 0.1], differs: true },
      { key: 'window', values: [12, 12], differs: false },
    ]);
    expect(cmp.metrics).toEqual([
      { key: 'test.mae', values: [0.1, null] },
      { key: 'test.rmse', values: [0.2, 0.3] },
    ]);
    await expect(tracking.compare([a, 'missing'])).rejects.toMatchObject({ code: 'NotFound' });
  });
});

describe('delete', () => {
  it('removes the rows and the files, reports the bytes freed, and leaves other runs and outside files alone', async () => {
    const keep = await run({ params: { lr: 1 }, metrics: { loss: 1 } });
    const gone = await run({ params: { lr: 2 }, metrics: { loss: 2 } });
    await tracking.update(gone, { tags: { stage: 'x' } });
    const models = dataPaths(t.dir).models;
    const files: Record<string, string> = {};
    for (const id of [keep, gone]) {
      mkdirSync(join(models, id, 'tfjs'), { recursive: true });
      files[`${id}/model.json`] = join(models, id, 'tfjs', 'model.json');
      files[`${id}/weights.bin`] = join(models, id, 'tfjs', 'weights.bin');
      writeFileSync(files[`${id}/model.json`], JSON.stringify({ id }));
      writeFileSync(files[`${id}/weights.bin`], Buffer.alloc(4096 + id.length));
    }
    // A stored path pointing outside the data directory is never touched.
    const outside = tempDir();
    const foreign = join(outside.dir, 'precious.bin');
    writeFileSync(foreign, 'do not delete');
    await tracking.addArtifacts(gone, [
      { kind: 'model', path: files[`${gone}/model.json`], sizeBytes: 1, sha256: 'x' },
      { kind: 'weights', path: files[`${gone}/weights.bin`], sizeBytes: 1, sha256: 'x' },
      { kind: 'card', path: foreign, sizeBytes: 1, sha256: 'x' },
    ]);
    const expectedBytes = statSync(files[`${gone}/model.json`]).size + statSync(files[`${gone}/weights.bin`]).size;

    expect(await tracking.delete([gone])).toEqual({ deleted: 1, freedBytes: expectedBytes });
    for (const table of ['params', 'metrics', 'metric_summary', 'run_tags', 'artifacts']) expect(count(table, gone), table).toBe(0);
    expect(store.raw.prepare('SELECT count(*) FROM runs WHERE id = ?').pluck().get(gone)).toBe(0);
    expect(existsSync(join(models, gone))).toBe(false);
    expect(readFileSync(foreign, 'utf8')).toBe('do not delete');
    outside.cleanup();

    expect((await tracking.get(keep)).summary).toEqual({ loss: 1 });
    expect(existsSync(files[`${keep}/weights.bin`])).toBe(true);
    await expect(tracking.get(gone)).rejects.toMatchObject({ code: 'NotFound' });
    await expect(tracking.delete([gone])).rejects.toMatchObject({ code: 'NotFound' });
  });

  it('refuses a running run', async () => {
    const id = await run({ status: 'running' });
    await expect(tracking.delete([id])).rejects.toMatchObject({ code: 'Conflict' });
    expect((await tracking.get(id)).status).toBe('running');
  });
});

describe('export', () => {
  it('writes the selected runs as CSV a CSV reader reads back, one column per param, metric and tag', async () => {
    const a = await run({ experiment: 'co2', params: { model: 'mlp', lr: 0.1 }, metrics: { 'test.rmse': 0.25 } });
    const b = await run({ experiment: 'co2', params: { model: 'lstm', label: 'a, "quoted"\nlabel' }, metrics: { 'test.rmse': 0.5, loss: -1 } });
    await run({ experiment: 'weather', metrics: { 'test.rmse': 0.1 } });
    await tracking.update(b, { tags: { stage: '=cmd()' }, note: 'line one\r\nline two' });

    const out = await tracking.export({ query: 'metrics.test.rmse >= 0.25', experiment: 'co2', includeArchived: false, format: 'csv' });
    expect(out).toMatchObject({ count: 2, mime: 'text/csv' });
    expect(out.filename).toMatch(/^runs-\d{8}-\d{6}\.csv$/);
    const parsed = Papa.parse<Record<string, string>>(out.text.trimEnd(), { header: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual(expect.arrayContaining(['id', 'params.label', 'params.lr', 'params.model', 'metrics.loss', 'metrics.test.rmse', 'tags.stage']));
    const byId = Object.fromEntries(parsed.data.map((r) => [r.id, r]));
    expect(Object.keys(byId).sort()).toEqual([a, b].sort());
    expect(byId[b]['params.label']).toBe('a, "quoted"\nlabel');
    expect(byId[b].note).toBe('line one\r\nline two');
    expect(byId[b]['tags.stage']).toBe("'=cmd()"); // a spreadsheet must not run it
    expect(Number(byId[b]['metrics.loss'])).toBe(-1); // numbers are left alone
    expect(Number(byId[a]['params.lr'])).toBe(0.1);
    expect(byId[a]['params.label']).toBe('');
  });

  it('writes JSON with types kept', async () => {
    const a = await run({ params: { lr: 0.1, normalize: true }, metrics: { 'test.rmse': 0.25 } });
    const out = await tracking.export({ query: '', includeArchived: false, format: 'json' });
    const rows = JSON.parse(out.text) as { id: string; params: object; metrics: object }[];
    expect(out.count).toBe(1);
    expect(rows[0]).toMatchObject({ id: a, params: { lr: 0.1, normalize: true }, metrics: { 'test.rmse': 0.25 } });
    await expect(tracking.export({ query: 'metrics.x <', includeArchived: false, format: 'json' })).rejects.toMatchObject({ code: 'InvalidInput', field: 'query' });
  });
});

async function runWith(n: number): Promise<{ id: string; rows: MetricRow[] }> {
  const id = await tracking.startRun({ experiment: 'long', jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: {} });
  const rows = Array.from({ length: n }, (_, i): MetricRow => ({ runId: id, key: 'loss', step: i, ts: 1_000 + i, value: Math.sin(i / 50) + (i === 12_345 ? 9 : 0) }));
  for (let i = 0; i < rows.length; i += 20_000) await tracking.recordMetrics(rows.slice(i, i + 20_000));
  return { id, rows };
}

describe('long series reads in the series thread', () => {
  it('a read too long for the main thread gives, from the thread on its own connection, the points the main thread would', async () => {
    const { id } = await runWith(600_000);
    const reader = new SeriesReader(store.raw);
    expect(reader.plan(id, 'loss', 10_000).rows).toBeGreaterThan(MAIN_THREAD_ROWS);
    const [threaded] = await tracking.metrics(id, ['loss'], 10_000);
    expect(threaded.points).toEqual(reader.read(id, 'loss', 10_000).points);
    expect(threaded.total).toBe(600_000);
    expect(threaded.points.length).toBeLessThanOrEqual(10_000);
    expect(Math.max(...threaded.points.map((p) => p.value))).toBeCloseTo(Math.sin(12_345 / 50) + 9, 12);
  });

  it('a whole-series export is built in the thread: a timer set when it starts fires before it answers, and every point is in it', async () => {
    const { id, rows } = await runWith(200_000);
    await tracking.exportSeries(id, 'loss'); // the thread is started and warm
    const order: string[] = [];
    const exported = tracking.exportSeries(id, 'loss').then((e) => {
      order.push('export');
      return e;
    });
    // A timer fires only when the event loop is free: a read on the main thread would answer first.
    await new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
    const e = await exported;
    expect(order).toEqual(['timer', 'export']);
    expect(e.count).toBe(rows.length);
    const lines = e.text.trimEnd().split('\n');
    expect(lines[0]).toBe('step,ts,value');
    expect(lines.length).toBe(rows.length + 1);
    expect(lines[12_346]).toBe(`12345,${1_000 + 12_345},${rows[12_345].value}`);
    expect(e.mime).toBe('text/csv');
  });

  it('an export of a series the run does not have names it', async () => {
    const { id } = await runWith(10);
    await expect(tracking.exportSeries(id, 'val_loss')).rejects.toThrow(/val_loss/);
  });
});
