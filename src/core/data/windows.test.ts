import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../shared/errors';
import {
  chronologicalSplit,
  fitScaler,
  inverseTransform,
  loadSeries,
  makeWindows,
  planWindowSplit,
  size,
  transform,
} from './index';

const co2 = loadSeries(
  readFileSync(new URL('../../../resources/datasets/co2-concentration.csv', import.meta.url), 'utf8'),
  { target: 'CO2' },
).values;

describe('makeWindows', () => {
  it('never lets an input see its target: with horizon 3 each target sits 3 steps after its last input', () => {
    const horizon = 3;
    const w = makeWindows(co2, 12, horizon);
    expect(w.count).toBe(co2.length - 12 - horizon + 1);
    for (let k = 0; k < w.count; k++) {
      const last = w.inputEnd[k];
      expect(w.targetIndex[k]).toBeGreaterThan(last + horizon - 1);
      expect(w.targetIndex[k]).toBe(last + horizon);
      // The window holds exactly the 12 values ending at inputEnd, and y is the value at targetIndex.
      expect(Array.from(w.x.subarray(k * 12, k * 12 + 12))).toEqual(Array.from(co2.subarray(last - 11, last + 1)));
      expect(w.y[k]).toBe(co2[w.targetIndex[k]]);
    }
  });

  it('says how many rows are needed when the series is shorter than window + horizon', () => {
    expect(() => makeWindows([1, 2, 3], 3, 1)).toThrow(/has 3 rows; a window of 3 and a horizon of 1 need at least 4/);
  });
});

describe('chronological split', () => {
  it('keeps time order: train, then validation, then test, covering every row once', () => {
    const s = chronologicalSplit(741, { valFraction: 0.15, testFraction: 0.15 });
    expect(s.train).toEqual({ start: 0, end: 519 });
    expect(s.val).toEqual({ start: 519, end: 630 });
    expect(s.test).toEqual({ start: 630, end: 741 });
  });

  it('assigns windows by the row of their target, so test windows predict test rows only from the past', () => {
    const opts = { window: 12, horizon: 3, valFraction: 0.15, testFraction: 0.15 };
    const plan = planWindowSplit(co2.length, opts);
    const w = makeWindows(co2, opts.window, opts.horizon);
    const { train, val, test } = plan.windows;
    expect(train.start).toBe(0);
    expect(train.end).toBe(val.start);
    expect(val.end).toBe(test.start);
    expect(test.end).toBe(w.count);
    expect(size(plan.windows.test)).toBe(size(plan.rows.test));
    for (let k = train.start; k < train.end; k++) expect(w.targetIndex[k]).toBeLessThan(plan.rows.train.end);
    for (let k = val.start; k < val.end; k++) {
      expect(w.targetIndex[k]).toBeGreaterThanOrEqual(plan.rows.val.start);
      expect(w.targetIndex[k]).toBeLessThan(plan.rows.val.end);
    }
    for (let k = test.start; k < test.end; k++) expect(w.targetIndex[k]).toBeGreaterThanOrEqual(plan.rows.test.start);
  });

  it('says how many rows are needed when there are too few for the window and the split', () => {
    const opts = { window: 12, horizon: 1, valFraction: 0.15, testFraction: 0.15 };
    let err: unknown;
    try {
      planWindowSplit(20, opts);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidInput);
    const needed = Number(/need at least (\d+) rows/.exec((err as Error).message)?.[1]);
    expect((err as Error).message).toMatch(/^The series has 20 rows; a window of 12, a horizon of 1/);
    // The number it names is exactly enough.
    expect(() => planWindowSplit(needed, opts)).not.toThrow();
    expect(() => planWindowSplit(needed - 1, opts)).toThrow(InvalidInput);
  });
});

describe('standard scaler', () => {
  it('is fitted on the training part only', () => {
    const { train } = chronologicalSplit(co2.length, { valFraction: 0.15, testFraction: 0.15 });
    const part = co2.subarray(train.start, train.end);
    const s = fitScaler(part);
    const mean = part.reduce((a, b) => a + b, 0) / part.length;
    expect(s.center[0]).toBeCloseTo(mean, 9);
    // CO2 keeps rising: statistics over all rows would differ clearly from the training ones.
    expect(fitScaler(co2).center[0]).toBeGreaterThan(s.center[0] + 5);
    const scaled = transform(s, part);
    expect(scaled.reduce((a, b) => a + b, 0) / scaled.length).toBeCloseTo(0, 9);
    expect(Math.sqrt(scaled.reduce((a, b) => a + b * b, 0) / scaled.length)).toBeCloseTo(1, 9);
  });

  it('scales each column separately and inverts exactly; a constant column stays finite', () => {
    const data = [1, 10, 5, 3, 20, 5, 5, 30, 5];
    const s = fitScaler(data, 3);
    expect(s.center).toEqual([3, 20, 5]);
    expect(s.scale[2]).toBe(1);
    const back = inverseTransform(s, transform(s, data));
    back.forEach((v, i) => expect(v).toBeCloseTo(data[i], 12));
  });
});
