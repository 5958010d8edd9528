import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import { Conflict, InvalidInput } from '../../shared/errors';
import { CANCELLED_MESSAGE } from '../workers';
import { loadForecaster, runTrainTask } from './index';
import { collect, datasetFile, sampleTask } from './testing';

const tmp = tempDirPerTest();

const STEPS = ['load', 'preprocess', 'train', 'evaluate', 'register'];

describe('training pipeline', () => {
  it('trains the default MLP on CO2 and beats the naive forecast on held-out test RMSE', async () => {
    const dir = tmp();
    const c = collect();
    const task = sampleTask(dir, 'co2-concentration.csv', 'CO2');
    const result = await runTrainTask(task, { emit: c.emit });

    expect(result.metrics['test.rmse']).toBeLessThan(result.metrics['naive.rmse']);
    expect(result.metrics['test.mae']).toBeLessThan(result.metrics['naive.mae']);
    for (const key of ['test.mae', 'test.rmse', 'test.mape', 'test.r2', 'naive.mae', 'naive.rmse', 'naive.mape', 'naive.r2']) {
      expect(Number.isFinite(result.metrics[key]), key).toBe(true);
    }
    expect(result.params).toMatchObject({ window: 12, epochs: 60, seed: 42 });
    expect(result.backend).toBe('wasm');
    expect(result.device).toMatch(/^cpu: /);

    // Progress: the five steps in order, fractions rising to 1 within their slices, an ETA while training.
    const progress = c.progress();
    expect([...new Set(progress.map((p) => p.step))]).toEqual(STEPS);
    for (let i = 1; i < progress.length; i++) expect(progress[i].fraction).toBeGreaterThanOrEqual(progress[i - 1].fraction);
    expect(progress[0].fraction).toBe(0);
    expect(progress[progress.length - 1].fraction).toBe(1);
    const train = progress.filter((p) => p.step === 'train');
    expect(Math.min(...train.map((p) => p.fraction))).toBeGreaterThanOrEqual(0.1);
    expect(Math.max(...train.map((p) => p.fraction))).toBeLessThanOrEqual(0.9);
    expect(train.some((p) => p.etaMs !== null && p.etaMs >= 0)).toBe(true);

    // Metric points per epoch, numbered from 1.
    const loss = c.metrics('loss');
    const valLoss = c.metrics('val_loss');
    expect(loss.length).toBeGreaterThan(1);
    expect(loss.map((m) => m.step)).toEqual(loss.map((_, i) => i + 1));
    expect(valLoss.map((m) => m.step)).toEqual(loss.map((m) => m.step));

    const logs = c.logs();
    expect(logs).toContain('Backend wasm on ' + result.device);
    expect(logs.some((l) => l.startsWith('Loaded 741 rows from co2-concentration.csv'))).toBe(true);
    expect(logs.some((l) => /^Epoch 5\/60 loss=[\d.]+ val_loss=[\d.]+(, about \d+ s left)?$/.test(l))).toBe(true);
    expect(logs.some((l) => l.startsWith('MAPE skips zero targets'))).toBe(true);

    // Artifacts: every file exists with the size and hash reported.
    expect(result.artifacts.map((a) => a.kind).sort()).toEqual(['card', 'model', 'predictions', 'preprocessing', 'weights']);
    for (const a of result.artifacts) {
      const bytes = readFileSync(a.path);
      expect(a.path.startsWith(task.modelDir)).toBe(true);
      expect(a.sizeBytes).toBe(bytes.length);
      expect(a.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
    const modelJson = JSON.parse(readFileSync(join(task.modelDir, 'model.json'), 'utf8'));
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    const card = JSON.parse(readFileSync(join(task.modelDir, 'card.json'), 'utf8'));
    expect(card).toMatchObject({
      family: 'mlp',
      target: 'CO2',
      seed: 42,
      backend: 'wasm',
      dataset: { sha256: task.datasetSha256, rows: 741 },
      split: { method: 'chronological', rows: { train: 519, val: 111, test: 111 } },
    });
    expect(card.metrics.rmse).toBe(result.metrics['test.rmse']);
    expect(card.baselines.naive.rmse).toBe(result.metrics['naive.rmse']);
    expect(card.trainyardVersion).toBe(JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')).version);
  });

  it('gives the same metrics for the same seed, and different ones for another seed', async () => {
    const dir = tmp();
    const run = (seed: number, id: string) =>
      runTrainTask(sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochs: 6, seed }, { runId: id }), { emit: () => {} });
    const a = await run(7, 'a');
    const b = await run(7, 'b');
    const c = await run(8, 'c');
    expect(b.metrics).toEqual(a.metrics);
    expect(c.metrics['test.rmse']).not.toBe(a.metrics['test.rmse']);
    expect(readFileSync(join(dir, 'models', 'b', 'weights.bin'))).toEqual(readFileSync(join(dir, 'models', 'a', 'weights.bin')));
  });

  it('saves a model that reloads and gives the same predictions', async () => {
    const dir = tmp();
    const task = sampleTask(dir, 'us-employment.csv', 'nonfarm', { epochs: 5, horizon: 3 });
    await runTrainTask(task, { emit: () => {} });
    const rows = readFileSync(join(task.modelDir, 'predictions.csv'), 'utf8').trim().split('\n').slice(1);
    const saved = rows.map((r) => r.split(',').map((v, i) => (i === 0 ? v : Number(v))));
    const series = readFileSync(task.datasetPath, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));

    const f = await loadForecaster(task.modelDir);
    try {
      expect(f.preprocessing).toMatchObject({ window: 12, horizon: 3 });
      // The test targets are the last rows; rebuild each one's input window from the raw series.
      const n = series.length;
      const windows: number[] = [];
      for (let k = 0; k < saved.length; k++) {
        const target = n - saved.length + k;
        windows.push(...series.slice(target - 3 - 11, target - 3 + 1));
      }
      const again = await f.predictWindows(windows);
      expect(again).toHaveLength(saved.length);
      again.forEach((v, k) => expect(v).toBeCloseTo(saved[k][2] as number, 9));
      expect(await f.forecast(series.slice(0, n - 3))).toBeCloseTo(saved[saved.length - 1][2] as number, 9);
    } finally {
      f.dispose();
    }
  });

  it('still loads a model saved with the first preprocessing format (version 1)', async () => {
    const dir = tmp();
    const task = sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochs: 3 });
    await runTrainTask(task, { emit: () => {} });
    const file = join(task.modelDir, 'preprocessing.json');
    const v2 = JSON.parse(readFileSync(file, 'utf8'));
    const history = readFileSync(task.datasetPath, 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    const before = await loadForecaster(task.modelDir);
    const expected = await before.forecast(history);
    before.dispose();
    // Version 1 kept one standard-scaler column per window position, under mean/std.
    const positions = v2.window - 1;
    const v1 = {
      format: v2.format,
      version: 1,
      family: 'mlp',
      target: v2.target,
      timeColumn: v2.timeColumn,
      inputs: v2.inputs,
      output: v2.output,
      window: v2.window,
      horizon: v2.horizon,
      x: { mean: Array(positions).fill(v2.x.center[0]), std: Array(positions).fill(v2.x.scale[0]) },
      y: { mean: v2.y.center, std: v2.y.scale },
    };
    writeFileSync(file, JSON.stringify(v1));
    const after = await loadForecaster(task.modelDir);
    try {
      expect(after.preprocessing).toMatchObject({ scaler: 'standard', channels: ['target_diff'], exogenous: [] });
      expect(await after.forecast(history)).toBeCloseTo(expected, 9);
    } finally {
      after.dispose();
    }
  });

  it('refuses a dataset whose bytes no longer match the imported sha256', async () => {
    const dir = tmp();
    const copy = join(dir, 'co2.csv');
    writeFileSync(copy, readFileSync(datasetFile('co2-concentration.csv')));
    const task = sampleTask(dir, '', 'CO2', {}, { datasetPath: copy });
    writeFileSync(copy, readFileSync(copy, 'utf8').replace('315.70', '315.71'));
    const err = await runTrainTask(task, { emit: () => {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Error).message).toMatch(/^The dataset file co2\.csv has changed since it was imported/);
  });

  it('says how many rows a short dataset would need', async () => {
    const dir = tmp();
    const short = join(dir, 'short.csv');
    writeFileSync(short, readFileSync(datasetFile('co2-concentration.csv'), 'utf8').split('\n').slice(0, 29).join('\n'));
    const err = await runTrainTask(sampleTask(dir, '', 'CO2', {}, { datasetPath: short }), { emit: () => {} }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as Error).message).toMatch(/^The series has 28 rows; .* need at least \d+ rows/);
  });

  it('refuses bad params before loading anything', async () => {
    const dir = tmp();
    const err = await runTrainTask(sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochs: '-1' }), { emit: () => {} }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(InvalidInput);
    expect((err as InvalidInput).field).toBe('params.epochs');
  });

  it('stops on cancel with "cancelled" and leaves no model folder behind', async () => {
    const dir = tmp();
    const c = collect();
    let stop = false;
    const task = sampleTask(dir, 'seattle-weather-hourly-normals.csv', 'temperature', { epochs: 50 });
    const run = runTrainTask(task, {
      emit: (e) => {
        c.emit(e);
        if (e.type === 'metric' && e.key === 'loss') stop = true;
      },
      shouldStop: () => stop,
    });
    await expect(run).rejects.toThrow(CANCELLED_MESSAGE);
    expect(c.metrics('loss')).toHaveLength(1);
    expect(existsSync(task.modelDir)).toBe(false);
  });
});
