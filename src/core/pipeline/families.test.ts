/**
 * Every forecast family trains on a real bundled dataset, beats the naive last-value forecast on
 * the held-out test split, records its validation metrics on the original scale, and saves a model
 * that reloads to the same predictions.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import type { ModelFamily, ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { loadForecaster, runTrainTask } from './index';
import { collect, datasetFile, sampleTask } from './testing';

const tmp = tempDirPerTest();

/** Few epochs each, so the whole file stays within seconds on two cores. */
const FAMILIES: [ModelFamily, Record<string, ParamValue>][] = [
  ['auto', { epochs: 8 }],
  ['linear', {}],
  ['gbdt', {}],
  ['mlp', { epochs: 8 }],
  ['lstm', { epochs: 6 }],
  ['gru', { epochs: 6 }],
  ['conv1d', { epochs: 8 }],
];

const card0 = (modelDir: string) => JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8'));

function predictionsOf(modelDir: string) {
  const [header, ...rows] = readFileSync(join(modelDir, 'predictions.csv'), 'utf8').trim().split('\n');
  return { header: header.split(','), rows: rows.map((r) => r.split(',')) };
}

describe.each(FAMILIES)('the %s family on Mauna Loa CO2', (model, params) => {
  it('beats the naive forecast on held-out test RMSE and MAE, and records both baselines and its skill', async () => {
    const dir = tmp();
    const task = sampleTask(dir, 'co2-concentration.csv', 'CO2', params, {}, { model });
    const c = collect();
    const result = await runTrainTask(task, { emit: c.emit });
    const m = result.metrics;
    expect(m['test.rmse']).toBeLessThan(m['naive.rmse']);
    expect(m['test.mae']).toBeLessThan(m['naive.mae']);
    expect(m['skill.naive']).toBeCloseTo(1 - m['test.rmse'] / m['naive.rmse'], 12);
    expect(m['test.skill']).toBe(m['skill.naive']);
    // Monthly data: the seasonal-naive baseline is the value twelve months before.
    expect(Number.isFinite(m['seasonal_naive.rmse'])).toBe(true);
    expect(c.logs()).toContain('The time column is monthly; seasonal-naive baseline with a season of 12 steps (from the time column)');

    // One point per test target for the prediction charts, matching predictions.csv.
    const actual = c.metrics('predictions.actual');
    const predicted = c.metrics('predictions.predicted');
    expect(actual).toHaveLength(card0(task.modelDir).split.windows.test);
    expect(predicted.map((p) => p.step)).toEqual(actual.map((p) => p.step));

    const card = JSON.parse(readFileSync(join(task.modelDir, 'card.json'), 'utf8'));
    expect(card).toMatchObject({ family: model, seed: 42, backend: 'wasm', features: { scaler: 'standard' } });
    expect(card.baselines.seasonal_naive).toMatchObject({ season: 12, seasonFrom: 'time column', rmse: m['seasonal_naive.rmse'] });
    expect(card.metricsNote).toMatch(/not zero/);

    // Validation metrics of the kept model and both baselines, on the original scale: the naive
    // forecast's MAE over the validation targets, recomputed here from the raw series, agrees.
    const series0 = readFileSync(task.datasetPath, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    const rows0 = card.split.rows;
    let naiveAbs = 0;
    for (let t = rows0.train; t < rows0.train + rows0.val; t++) naiveAbs += Math.abs(series0[t] - series0[t - 1]);
    expect(m['naive.val.mae']).toBeCloseTo(naiveAbs / rows0.val, 9);
    for (const key of ['val.mae', 'val.rmse', 'val.mape', 'val.r2', 'val.skill', 'naive.val.rmse', 'seasonal_naive.val.mae']) {
      expect(Number.isFinite(m[key]), key).toBe(true);
    }
    expect(m['val.skill']).toBeCloseTo(1 - m['val.rmse'] / m['naive.val.rmse'], 12);
    expect(m['val.mae']).toBeLessThan(m['naive.val.mae']);
    expect(card.validation.metrics.mae).toBe(m['val.mae']);

    // The saved model reloads and predicts what was written to predictions.csv.
    const { header, rows } = predictionsOf(task.modelDir);
    expect(header).toEqual(['time', 'actual', 'predicted', 'naive', 'residual', 'seasonal_naive']);
    const series = readFileSync(task.datasetPath, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    const f = await loadForecaster(task.modelDir);
    try {
      const n = series.length;
      const last = rows.length - 1;
      expect(await f.forecast(series.slice(0, n - 1))).toBeCloseTo(Number(rows[last][2]), 6);
      rows.forEach((r, k) => {
        expect(Number(r[4])).toBeCloseTo(Number(r[1]) - Number(r[2]), 9);
        expect(actual[k].value).toBe(Number(r[1]));
        expect(predicted[k].value).toBe(Number(r[2]));
      });
    } finally {
      f.dispose();
    }
  });
});

describe('preprocessing options', () => {
  it('feeds exogenous columns and calendar channels, with the scaler asked for, and saves how', async () => {
    const dir = tmp();
    const task = sampleTask(
      dir,
      'seattle-weather-hourly-normals.csv',
      'temperature',
      { epochs: 2, window: 8, calendar: true, scaler: 'robust' },
      {},
      { model: 'mlp', exogenous: ['pressure', 'wind'] },
    );
    const c = collect();
    const result = await runTrainTask(task, { emit: c.emit });
    expect(Number.isFinite(result.metrics['test.rmse'])).toBe(true);
    expect(c.logs().some((l) => l.startsWith('Loaded 8759 rows') && l.endsWith('exogenous pressure, wind)'))).toBe(true);
    const channels = ['target_diff', 'pressure', 'wind', 'hour_of_day_sin', 'hour_of_day_cos', 'day_of_week_sin', 'day_of_week_cos', 'day_of_year_sin', 'day_of_year_cos'];
    const inputs = `Inputs: 7 steps x 9 channels (${channels.join(', ')}); target: change over the horizon; robust scalers fitted on the `;
    expect(c.logs().some((l) => l.startsWith(inputs) && l.endsWith(' training windows only'))).toBe(true);
    // Hourly data: the seasonal-naive baseline looks one day back.
    expect(Number.isFinite(result.metrics['seasonal_naive.mae'])).toBe(true);
    const pre = JSON.parse(readFileSync(join(task.modelDir, 'preprocessing.json'), 'utf8'));
    expect(pre).toMatchObject({ version: 2, scaler: 'robust', exogenous: ['pressure', 'wind'], channels });
    expect(pre.x.center).toHaveLength(9);
  });

  it('takes the season from params, and refuses calendar features without a time column', async () => {
    const dir = tmp();
    const r = await runTrainTask(sampleTask(dir, 'us-employment.csv', 'nonfarm', { epochs: 2, season: 3 }), { emit: () => {} });
    expect(Number.isFinite(r.metrics['seasonal_naive.rmse'])).toBe(true);

    const noTime = join(dir, 'no-time.csv');
    writeFileSync(noTime, readFileSync(datasetFile('co2-concentration.csv'), 'utf8').split('\n').map((l) => l.split(',').slice(1).join(',')).join('\n'));
    const err = await runTrainTask(sampleTask(dir, '', 'CO2', { calendar: true }, { datasetPath: noTime }), { emit: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInput);
    expect(err).toMatchObject({ field: 'params.calendar', message: 'params.calendar: calendar features need a time column, and this dataset has none' });
  });

  it('names a bad exogenous column', async () => {
    const dir = tmp();
    const run = (exogenous: string[]) =>
      runTrainTask(sampleTask(dir, 'co2-concentration.csv', 'CO2', {}, {}, { exogenous }), { emit: () => {} }).catch((e: unknown) => e);
    expect(await run(['rain'])).toMatchObject({ field: 'exogenous', message: expect.stringMatching(/^Column "rain" is not in the (file|dataset)/) });
    expect(await run(['CO2'])).toMatchObject({ field: 'exogenous', message: expect.stringMatching(/is the target; it cannot also be an exogenous input/) });
  });
});

describe('divergence', () => {
  it('fails with "diverged" and a hint when the loss stops being finite, and registers nothing', async () => {
    const dir = tmp();
    // Validation rows a billion billion times larger than the training rows: the validation loss overflows.
    const lines = readFileSync(datasetFile('co2-concentration.csv'), 'utf8').trim().split('\n');
    const wild = lines.map((l, i) => {
      if (i < 530 || i > 620) return l;
      const [d, v, a] = l.split(',');
      return `${d},${Number(v) * (i % 2 ? 1e30 : -1e30)},${a}`;
    });
    const file = join(dir, 'wild.csv');
    writeFileSync(file, wild.join('\n') + '\n');
    const task = sampleTask(dir, '', 'CO2', { epochs: 3 }, { datasetPath: file });
    const err = await runTrainTask(task, { emit: () => {} }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/^diverged: the loss became (infinite|NaN) at epoch 1; try a lower learningRate \(now 0\.003\)/);
    expect(existsSync(task.modelDir)).toBe(false);
  });
});
