/**
 * Predict and evaluate on real model folders from real training runs, scored in real worker
 * processes through the pool: the numbers must be the run's own (predictions.csv, scores.csv, the
 * card's test metrics) to 1e-9, and bad input must say what is wrong and where.
 */
import { cpSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/tmp';
import type { ModelVersion } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';
import { DatasetCatalog } from '../../datasets';
import { EventBus } from '../../events';
import { runTrainTask } from '../../pipeline';
import { collect, datasetFile, sampleTask } from '../../pipeline/testing';
import { openStore, type Store } from '../../store';
import { Tracking } from '../../tracking';
import { WorkerPool, forkLauncher } from '../../workers';
import type { ModelOnDisk, RegistryPort } from '../ports';
import { modelSchemaFromCard } from '../schema';
import { openData } from './data-file';
import { createScorer, predictHandlers } from './handlers';
import { evaluateModels, predictModel } from './scorer';

const CO2 = 'co2-concentration.csv';
const DAILY = 'seattle-daily-temperature-anomalies.csv';

/** A version as the registry would hold it, over a run's model folder. */
function onDisk(dir: string, name: string, version = 1): ModelOnDisk {
  const card = JSON.parse(readFileSync(join(dir, 'card.json'), 'utf8')) as Record<string, unknown>;
  const v: ModelVersion = {
    model: name,
    version,
    createdAt: Date.now(),
    description: '',
    tags: {},
    aliases: [],
    files: [],
    digest: '0'.repeat(64),
    sizeBytes: 0,
    schema: modelSchemaFromCard(card),
    lineage: {
      runId: null,
      jobId: null,
      experiment: null,
      studyId: null,
      trialNumber: null,
      datasetId: null,
      datasetName: null,
      datasetSha256: null,
      family: String(card.family),
      predictor: null,
      params: {},
      seed: null,
      split: card.split,
      metrics: {},
      backend: null,
      device: null,
      trainyardVersion: '0',
      formatVersion: null,
      tfjsVersion: null,
      trainedAt: null,
    },
    source: { kind: 'run', ref: 'run' },
    gate: null,
  };
  return { version: v, dir, card };
}

/** A CSV file's rows as records of strings. */
function csvRecords(path: string): Record<string, string>[] {
  const [head, ...lines] = readFileSync(path, 'utf8').trim().split('\n');
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((c, i) => [cols[i], c])));
}

const co2Text = readFileSync(datasetFile(CO2), 'utf8');

describe('predict and evaluate', () => {
  let dir: string;
  let cleanup: () => void;
  let pool: WorkerPool;
  let store: Store;
  let datasets: DatasetCatalog;
  const models: Record<string, ModelOnDisk> = {};

  async function train(runId: string, file: string, target: string, params: Record<string, number | boolean>, spec: Record<string, unknown>) {
    await runTrainTask(sampleTask(dir, file, target, params, { runId }, spec), { emit: collect().emit });
    models[runId] = onDisk(join(dir, 'models', runId), runId.replace(/_/g, '-'));
  }

  beforeAll(async () => {
    ({ dir, cleanup } = tempDir());
    pool = new WorkerPool({ launcher: forkLauncher, idleMs: 60_000 });
    store = openStore(join(dir, 'trainyard.db'));
    datasets = new DatasetCatalog(store, dir);
    await train('ridge', CO2, 'CO2', { window: 12, horizon: 3 }, { model: 'linear' });
    // A network reading an exogenous column and calendar channels: every input kind predict must rebuild.
    await train('mlp', CO2, 'CO2', { window: 8, epochs: 3, patience: 0, calendar: true }, { model: 'mlp', exogenous: ['adjusted CO2'] });
    // The default family: here a blend of members reading windows of different lengths.
    await train('auto', CO2, 'CO2', { epochs: 2 }, { model: 'auto' });
    await train('forest', DAILY, 'temp_max', { trees: 40 }, { model: 'isolation_forest', labelColumn: 'anomaly' });
    await train('autoencoder', DAILY, 'temp_max', { epochs: 2, window: 16 }, { model: 'autoencoder', labelColumn: 'anomaly' });
    // Split by dates: evaluate must find the same test rows by the date, not by fractions.
    await train('dated', CO2, 'CO2', { window: 6 }, { model: 'linear', data: { split: { valFrom: '2005-01-01', testFrom: '2012-06-01' } } });
    // No time column: rows are named by their spreadsheet row.
    writeFileSync(join(dir, 'plain.csv'), co2Text.split('\n').map((l) => l.split(',')[1] ?? '').join('\n'));
    await runTrainTask(sampleTask(dir, CO2, 'CO2', { window: 6 }, { runId: 'plain', datasetPath: join(dir, 'plain.csv') }, { model: 'linear' }), { emit: collect().emit });
    models.plain = onDisk(join(dir, 'models', 'plain'), 'plain');
  }, 240_000);

  afterAll(async () => {
    await pool?.closeAll();
    await store?.close();
    cleanup?.();
  });

  const file = (name: string) => ({ path: datasetFile(name), sha256: 'x', name, datasetId: null });

  it.each(['ridge', 'mlp', 'auto'])('a %s forecaster reproduces its run’s test predictions to 1e-9, and forecasts the horizon past the end', async (id) => {
    const m = models[id];
    const res = await predictModel(pool, m, file(CO2));
    const { window, horizon } = m.version.schema as { window: number; horizon: number };
    expect(res.columns).toEqual(['time', 'actual', 'predicted', 'kind']);
    expect(res.skipped).toBe(window - 1 + horizon);
    const fitted = res.rows.filter((r) => r[3] === 'fitted');
    const forecast = res.rows.filter((r) => r[3] === 'forecast');
    expect(fitted).toHaveLength(741 - window - horizon + 1);
    expect(forecast).toHaveLength(horizon);

    const byTime = new Map(fitted.map((r) => [r[0], r]));
    const saved = csvRecords(join(m.dir, 'predictions.csv'));
    expect(saved.length).toBeGreaterThan(50);
    for (const s of saved) {
      const row = byTime.get(s.time)!;
      expect(row, s.time).toBeDefined();
      expect(row[1]).toBe(Number(s.actual));
      expect(Math.abs((row[2] as number) - Number(s.predicted))).toBeLessThan(1e-9);
    }
    // The last row is 2020-04-01 (monthly): the forecasts land on the first of the next months.
    expect(forecast.map((r) => r[0])).toEqual(['2020-05-01T00:00:00.000Z', '2020-06-01T00:00:00.000Z', '2020-07-01T00:00:00.000Z'].slice(0, horizon));
    expect(forecast.every((r) => r[1] === null && Number.isFinite(r[2]))).toBe(true);
    // The CSV holds the same numbers at full precision.
    const line = res.csv.split('\n')[1].split(',');
    expect(Number(line[2])).toBe(res.rows[0][2]);
  }, 60_000);

  it.each(['forest', 'autoencoder'])('an anomaly detector (%s) reproduces its run’s scores.csv to 1e-9, unscored first rows included', async (id) => {
    const m = models[id];
    const res = await predictModel(pool, m, file(DAILY));
    expect(res.columns).toEqual(['time', 'value', 'score', 'flagged']);
    const saved = csvRecords(join(m.dir, 'scores.csv'));
    expect(res.rows).toHaveLength(saved.length);
    saved.forEach((s, i) => {
      const row = res.rows[i];
      expect(row[0]).toBe(s.time);
      expect(Math.abs((row[2] as number) - Number(s.score))).toBeLessThan(1e-9);
      expect(row[3]).toBe(Number(s.flagged));
    });
    expect(res.skipped).toBe(m.version.schema.window - 1);
    expect(res.rows.some((r) => r[3] === 1)).toBe(true);
  }, 60_000);

  it('evaluates models on the same test rows: the run’s own test metrics and naive baseline, to 1e-9', async () => {
    const ridge = models.ridge;
    const out = await evaluateModels(pool, [ridge, models.mlp], file(CO2), 'test');
    const card = ridge.card as { metrics: { rmse: number; mae: number }; baselines: { naive: { rmse: number } }; split: { rows: { test: number } } };
    expect(out.rows.which).toBe('test');
    expect(out.rows.count).toBe(card.split.rows.test);
    expect(out.rows.to).toBe('2020-04-01T00:00:00.000Z');
    const [a, b] = out.metrics;
    expect(Math.abs(a.rmse - card.metrics.rmse)).toBeLessThan(1e-9);
    expect(Math.abs(a.mae - card.metrics.mae)).toBeLessThan(1e-9);
    expect(Math.abs(a['naive.rmse'] - card.baselines.naive.rmse)).toBeLessThan(1e-9);
    expect(a['skill.naive']).toBeCloseTo(1 - a.rmse / a['naive.rmse'], 12);
    // Both on the same rows; the mlp's horizon is 1, so its naive baseline differs from the ridge's (horizon 3).
    expect(b.n).toBe(a.n);
    for (const k of ['mae', 'rmse', 'mape', 'r2', 'naive.rmse', 'skill.naive']) expect(Number.isFinite(b[k]), k).toBe(true);

    const all = await evaluateModels(pool, [ridge, models.mlp], file(CO2), 'all');
    // The ridge reads 12 rows and looks 3 ahead: its first predictable row is 14, later than the mlp's 8.
    expect(all.rows.count).toBe(741 - 14);
    expect(all.metrics[0].n).toBe(741 - 14);
  }, 60_000);

  it('evaluates an anomaly model against the file’s labels, as its run scored its test rows', async () => {
    const m = models.forest;
    const out = await evaluateModels(pool, [m], file(DAILY), 'test');
    const card = m.card as { metrics: { precision: number; recall: number; f1: number; rocAuc: number; prAuc: number; n: number } };
    expect(out.rows.count).toBe(card.metrics.n);
    const [r] = out.metrics;
    expect(r.precision).toBeCloseTo(card.metrics.precision, 12);
    expect(r.recall).toBeCloseTo(card.metrics.recall, 12);
    expect(r.f1).toBeCloseTo(card.metrics.f1, 12);
    expect(r.roc_auc).toBeCloseTo(card.metrics.rocAuc, 12);
    expect(r.pr_auc).toBeCloseTo(card.metrics.prAuc, 12);
  }, 60_000);

  it('answers the API: a stored dataset or uploaded content, models named by reference', async () => {
    const byRef: Record<string, ModelOnDisk> = { 'co2@champion': models.ridge, 'co2:2': models.mlp, daily: models.forest };
    const port = {
      open: async (ref: string) => byRef[ref] ?? Promise.reject(new Error(`no ${ref}`)),
    } as unknown as RegistryPort;
    const deps = { store, bus: new EventBus(), tracking: new Tracking(store), datasets, pool, dataDir: dir };
    const api = predictHandlers(deps, port, createScorer(deps));
    const d = await datasets.import({ kind: 'sample', file: CO2 });
    const out = await api.evaluate({ refs: ['co2@champion', 'co2:2'], data: { datasetId: d.id }, rows: 'test' });
    expect(out.dataset).toEqual({ id: d.id, name: d.name, sha256: d.sha256 });
    expect(out.models.map((m) => [m.ref, m.model, m.version])).toEqual([
      ['co2@champion', 'ridge', 1],
      ['co2:2', 'mlp', 1],
    ]);
    expect(Math.abs(out.models[0].metrics.rmse - (models.ridge.card as { metrics: { rmse: number } }).metrics.rmse)).toBeLessThan(1e-9);

    const text = readFileSync(datasetFile(DAILY), 'utf8');
    const res = await api.predict({ ref: 'daily', data: { source: { kind: 'content', filename: 'daily.csv', text } } });
    expect(res.task).toBe('anomaly');
    expect(res.rows).toHaveLength(1461);
    expect(res.durationMs).toBeGreaterThanOrEqual(0);
    // The uploaded content went to a temporary file that is gone again.
    expect(readdirSync(tmpdir()).filter((f) => f.startsWith('trainyard-predict-'))).toEqual([]);
    await expect(api.evaluate({ refs: ['co2:2', 'daily'], data: { datasetId: d.id }, rows: 'test' })).rejects.toThrow(InvalidInput);
  }, 60_000);

  it('names rows by their spreadsheet row where the model has no time column, forecasts numbered on', async () => {
    const m = models.plain;
    expect(m.version.schema.timeColumn).toBeNull();
    const res = await predictModel(pool, m, { ...file(CO2), path: join(dir, 'plain.csv'), name: 'plain.csv' });
    expect(res.columns[0]).toBe('row');
    const saved = csvRecords(join(m.dir, 'predictions.csv'));
    const byRow = new Map(res.rows.map((r) => [String(r[0]), r]));
    for (const s of saved) expect(Math.abs((byRow.get(s.row)![2] as number) - Number(s.predicted))).toBeLessThan(1e-9);
    // 741 data rows are spreadsheet rows 2..742; the forecast (horizon 1) is row 743.
    expect(res.rows.at(-1)).toEqual([743, null, res.rows.at(-1)![2], 'forecast']);
  }, 60_000);

  it('finds a date split’s test rows by its date', async () => {
    const m = models.dated;
    const card = m.card as { metrics: { rmse: number }; split: { rows: { test: number }; boundaries: { test: { from: string } } } };
    const out = await evaluateModels(pool, [m], file(CO2), 'test');
    expect(out.rows.count).toBe(card.split.rows.test);
    expect(out.rows.from).toBe('2012-06-01T00:00:00.000Z');
    expect(Math.abs(out.metrics[0].rmse - card.metrics.rmse)).toBeLessThan(1e-9);
  }, 60_000);

  it('counts flags where the file has no label column', async () => {
    const text = readFileSync(datasetFile(DAILY), 'utf8')
      .split('\n')
      .map((l) => l.split(',').slice(0, 2).join(','))
      .join('\n');
    const opened = await openData(datasets, { source: { kind: 'content', filename: 'unlabelled.csv', text } });
    try {
      const out = await evaluateModels(pool, [models.forest], opened.file, 'all');
      expect(Object.keys(out.metrics[0]).sort()).toEqual(['flagged', 'flagged_share', 'n']);
      expect(out.metrics[0].n).toBe(1461 - (models.forest.version.schema.window - 1));
    } finally {
      await opened.release();
    }
  }, 60_000);

  it('a broken model folder fails that predict with the cause, and the next predict still works', async () => {
    const broken = join(dir, 'models', 'broken');
    cpSync(models.mlp.dir, broken, { recursive: true });
    writeFileSync(join(broken, 'weights.bin'), Buffer.alloc(10));
    const err = await predictModel(pool, { ...models.mlp, dir: broken }, file(CO2)).then(
      () => null,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(/^The model files of mlp:1 in .*broken do not load: /);
    const again = await predictModel(pool, models.mlp, file(CO2));
    expect(again.rows.length).toBeGreaterThan(700);
  }, 60_000);

  it('refuses to compare models of different tasks', async () => {
    await expect(evaluateModels(pool, [models.ridge, models.forest], file(CO2), 'test')).rejects.toThrow(/forecast model.*anomaly model/);
  });

  describe('bad input names the cause', () => {
    const co2 = co2Text;
    async function predictContent(text: string, model = models.mlp) {
      const opened = await openData(datasets, { source: { kind: 'content', filename: 'upload.csv', text } });
      try {
        return await predictModel(pool, model, opened.file);
      } finally {
        await opened.release();
      }
    }
    const failure = async (p: Promise<unknown>) => {
      const err = await p.then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(InvalidInput);
      return (err as InvalidInput).message;
    };

    it('a CSV that lacks a column the model reads', async () => {
      const without = co2
        .split('\n')
        .map((l) => l.split(',').slice(0, 2).join(','))
        .join('\n');
      const message = await failure(predictContent(without));
      expect(message).toContain('Column "adjusted CO2" is not in the file');
      expect(message).toContain('"Date", "CO2"');
      expect(message).toContain('upload.csv');
    });

    it('a cell that is not a number, by spreadsheet row and column', async () => {
      const lines = co2.split('\n');
      lines[5] = '1958-07-01,abc,315.2';
      expect(await failure(predictContent(lines.join('\n')))).toMatch(/Row 6, column "CO2"/);
    });

    it('fewer rows than one window', async () => {
      const short = co2.split('\n').slice(0, 5).join('\n');
      expect(await failure(predictContent(short))).toMatch(/has 4 rows; a window of 8 rows needs at least 8/);
    });

    it('a time column the model reads, missing', async () => {
      const renamed = co2.replace(/^Date,/, 'When,');
      expect(await failure(predictContent(renamed))).toMatch(/Time column "Date" is not in the file; the columns are "When", "CO2", "adjusted CO2"/);
    });
  });
});
