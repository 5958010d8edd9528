/**
 * Model selection decides on the validation windows only: the auto family records every
 * candidate's validation metrics and keeps the lowest, the linear family picks its penalty the same
 * way, and neither choice moves when the test rows change (the proof by perturbation of
 * leakage.test.ts, applied to the choice). The run's val_loss summary is the kept epoch's.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import type { ParamValue } from '../../shared/contract';
import { CANCELLED_MESSAGE } from '../workers';
import { runTrainTask } from './index';
import { collect, datasetFile, sampleTask } from './testing';

const tmp = tempDirPerTest();
const AUTO = { epochs: 6, seed: 3 };

const candidateErrors = (m: Record<string, number>) =>
  Object.fromEntries(Object.entries(m).filter(([k]) => k.startsWith('candidates.') && k.endsWith('.val.mae')).map(([k, v]) => [k.split('.')[1], v]));

/** CO2 with every test row moved: what the test split holds changes, nothing before it does. */
function withTestRowsChanged(dir: string): string {
  const lines = readFileSync(datasetFile('co2-concentration.csv'), 'utf8').trim().split('\n');
  const rows = lines.length - 1;
  const testFrom = rows - Math.round(rows * 0.15);
  const out = lines.map((l, i) => {
    if (i === 0 || i - 1 < testFrom) return l;
    const [d, v, a] = l.split(',');
    return `${d},${(Number(v) * 1.1 + (i % 5)).toFixed(2)},${a}`;
  });
  const file = join(dir, 'co2-test-changed.csv');
  writeFileSync(file, out.join('\n') + '\n');
  return file;
}

describe('the auto family', () => {
  it('fits every candidate, records each one’s validation metrics, and keeps the lowest validation MAE', async () => {
    const dir = tmp();
    const task = sampleTask(dir, 'us-employment.csv', 'nonfarm', AUTO, {}, { model: 'auto' });
    const c = collect();
    const r = await runTrainTask(task, { emit: c.emit });
    const errors = candidateErrors(r.metrics);
    // Ridge on three windows (monthly: 12, one season + 1, two seasons + 1), each with and without
    // levels; trees with and without; both on window 12 also fitted to absolute error; the MLP; two blends.
    expect(Object.keys(errors).sort()).toEqual(
      [
        'blend_2',
        'blend_3',
        'gbdt_abs_w12',
        'gbdt_levels_abs_w12',
        'gbdt_levels_w12',
        'gbdt_w12',
        'linear_abs_w12',
        'linear_levels_abs_w12',
        'linear_levels_w12',
        'linear_levels_w13',
        'linear_levels_w25',
        'linear_w12',
        'linear_w13',
        'linear_w25',
        'mlp_w12',
      ].sort(),
    );
    const best = Object.entries(errors).reduce((a, b) => (b[1] < a[1] ? b : a));
    expect(r.params.chosen).toBe(best[0]);
    // The kept model is the chosen candidate: its validation MAE is the one the choice was made on.
    expect(r.metrics['val.mae']).toBeCloseTo(best[1], 9);
    expect(c.logs().find((l) => l.startsWith('Auto chose '))).toMatch(new RegExp(`^Auto chose ${best[0]}: the lowest validation MAE of 15 candidates`));
    const card = JSON.parse(readFileSync(join(task.modelDir, 'card.json'), 'utf8'));
    expect(card.training).toMatchObject({ method: 'auto', criterion: 'mae', chosen: best[0] });
    expect(card.training.candidates).toHaveLength(15);
    for (const cand of card.training.candidates) expect(cand.val.mae).toBe(errors[cand.name]);
    // Test metrics exist for the kept model only; nothing per candidate.
    expect(Object.keys(r.metrics).filter((k) => k.startsWith('candidates.') && k.includes('.test'))).toEqual([]);
    expect(Number.isFinite(r.metrics['test.mae'])).toBe(true);
  });

  it('stops between candidates on cancel, and registers nothing', async () => {
    const dir = tmp();
    const task = sampleTask(dir, 'us-employment.csv', 'nonfarm', AUTO, {}, { model: 'auto' });
    let stop = false;
    const c = collect();
    const run = runTrainTask(task, {
      emit: (e) => {
        c.emit(e);
        if (e.type === 'log' && e.message.startsWith('Candidate ')) stop = true;
      },
      shouldStop: () => stop,
    });
    await expect(run).rejects.toThrow(CANCELLED_MESSAGE);
    expect(c.logs().filter((l) => l.startsWith('Candidate '))).toHaveLength(1);
    expect(existsSync(task.modelDir)).toBe(false);
  });

  it('chooses by RMSE when asked, and only among the candidates named', async () => {
    const dir = tmp();
    const r = await runTrainTask(
      sampleTask(dir, 'us-employment.csv', 'nonfarm', { ...AUTO, criterion: 'rmse', candidates: 'linear,gbdt', blend: false, seasonWindows: false }, {}, { model: 'auto' }),
      { emit: () => {} },
    );
    const rmse = Object.fromEntries(Object.entries(r.metrics).filter(([k]) => k.endsWith('.val.rmse') && k.startsWith('candidates.')).map(([k, v]) => [k.split('.')[1], v]));
    expect(Object.keys(rmse).sort()).toEqual(['gbdt_levels_w12', 'gbdt_w12', 'linear_levels_w12', 'linear_w12']);
    expect(r.params.chosen).toBe(Object.entries(rmse).reduce((a, b) => (b[1] < a[1] ? b : a))[0]);
    expect(r.summary).toBeUndefined();
  });
});

describe('choices made on validation only', () => {
  async function twice(model: 'auto' | 'linear', params: Record<string, ParamValue>) {
    const dir = tmp();
    const plain = await runTrainTask(sampleTask(dir, 'co2-concentration.csv', 'CO2', params, { runId: 'a' }, { model }), { emit: () => {} });
    const file = withTestRowsChanged(dir);
    const changed = await runTrainTask(sampleTask(dir, '', 'CO2', params, { runId: 'b', datasetPath: file }, { model }), { emit: () => {} });
    // The change reached the test split...
    expect(changed.metrics['test.mae']).not.toBeCloseTo(plain.metrics['test.mae'], 3);
    return { plain, changed };
  }

  it('the linear family’s penalty and validation metrics do not move when the test rows change', async () => {
    const { plain, changed } = await twice('linear', {});
    expect(changed.params.l2_chosen).toBe(plain.params.l2_chosen);
    for (const key of ['val.mae', 'val.rmse', 'naive.val.mae']) expect(changed.metrics[key], key).toBe(plain.metrics[key]);
  });

  it('the auto family’s choice and every candidate’s validation metrics do not move when the test rows change', async () => {
    const { plain, changed } = await twice('auto', AUTO);
    expect(changed.params.chosen).toBe(plain.params.chosen);
    expect(candidateErrors(changed.metrics)).toEqual(candidateErrors(plain.metrics));
    expect(changed.metrics['val.mae']).toBe(plain.metrics['val.mae']);
  });
});

describe('the run’s val_loss', () => {
  it('is the best epoch’s, where training went on past it; the per-epoch series is left whole', async () => {
    const dir = tmp();
    // A large step makes the validation loss move about, so the best epoch is not the last.
    const c = collect();
    const r = await runTrainTask(sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochs: 12, patience: 0, learningRate: 0.05, seed: 1 }), { emit: c.emit });
    const curve = c.metrics('val_loss').map((p) => p.value);
    expect(curve).toHaveLength(12);
    const best = Math.min(...curve);
    expect(curve.at(-1)).not.toBe(best);
    expect(r.summary).toEqual({ val_loss: { step: curve.indexOf(best) + 1, value: best } });
  });
});
