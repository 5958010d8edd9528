/**
 * Every predictor that is not a network saves and loads through the same folder layout the
 * pipeline writes (a network's round trip is proved by the pipeline's families test): ridge, trees,
 * and a blend of members that read windows of different lengths.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/tmp';
import { makeWindows } from '../../data';
import { blendForecaster } from './blend';
import { encodeWindows, fitPreprocessing, type ForecastPreprocessing } from './features';
import { fitGbdt } from './gbdt';
import { gbdtForecaster } from './gbdt-model';
import { GBDT_DEFAULTS } from './gbdt-params';
import { loadForecaster } from './persist';
import { ridgePredict, ridgeSystem, solveRidge } from './ridge';
import { ridgeForecaster } from './ridge-model';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

const co2 = readFileSync(new URL('../../../../resources/datasets/co2-concentration.csv', import.meta.url), 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((l) => Number(l.split(',')[1]));

/** Preprocessing and encoded windows for `window` over the first 600 values (train 0..500, validation after). */
function prepared(window: number) {
  const w = makeWindows(co2.slice(0, 600), window, 1);
  const p: ForecastPreprocessing = fitPreprocessing({ window, horizon: 1, scaler: 'standard', exogenous: [], calendar: [] }, { target: w.x }, w.y, { start: 0, end: 500 });
  const e = encodeWindows(p, { target: w.x }, w.y);
  const f = (window - 1) * p.channels.length;
  return { p, e, f, count: w.count };
}

describe('saved forecasters', () => {
  it('ridge, trees and a blend of both over windows of 12 and 25 values reload to the same forecasts', async () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    const a = prepared(12);
    const ridge = ridgeForecaster(a.p, solveRidge(ridgeSystem(a.e.x, a.e.y, 500, a.f), 0.01));
    const b = prepared(25);
    const split = (from: number, to: number) => ({ x: b.e.x.subarray(from * b.f, to * b.f), y: b.e.y.subarray(from, to), count: to - from, features: b.f });
    const trees = gbdtForecaster(b.p, fitGbdt(split(0, 480), split(480, b.count), { ...GBDT_DEFAULTS, rounds: 50 }).model);
    const blend = blendForecaster([
      { name: 'linear_w12', weight: 2, forecaster: ridge },
      { name: 'gbdt_w25', weight: 1, forecaster: trees },
    ]);
    expect(blend.preprocessing.window).toBe(25);
    const info = { family: 'auto', target: 'CO2', timeColumn: 'Date' };
    const history = co2.slice(0, 700);
    for (const [name, f] of [['ridge', ridge], ['gbdt', trees], ['blend', blend]] as const) {
      const sub = join(dir, name);
      mkdirSync(sub, { recursive: true });
      await f.save(sub, info);
      const back = await loadForecaster(sub);
      expect(back.kind).toBe(f.kind);
      expect(await back.forecast(history)).toBe(await f.forecast(history));
      back.dispose();
    }
    // The blend is the weighted mean of its members' own forecasts, each on its own window.
    expect(await blend.forecast(history)).toBeCloseTo((2 * (await ridge.forecast(history)) + (await trees.forecast(history))) / 3, 12);
    // Ridge forecasts are its coefficients on the encoded window, decoded: nothing else happens to them.
    const c = solveRidge(ridgeSystem(a.e.x, a.e.y, 500, a.f), 0.01);
    const last = a.e.x.subarray(500 * a.f, 501 * a.f);
    const scaled = ridgePredict(c, last, 1)[0] * a.p.y.scale[0] + a.p.y.center[0];
    expect((await ridge.predictWindows(co2.slice(500, 512)))[0]).toBeCloseTo(co2[511] + scaled, 9);
  });
});
