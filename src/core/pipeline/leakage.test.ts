/**
 * No leakage: what the network is trained on, and the inputs of every forecast, never depend on a
 * value at or after the row being forecast. Proved by perturbation: change the series (target and
 * exogenous columns) from some row on, redo the preprocessing, and check that nothing that may not
 * see that row has moved. A single leaked value anywhere would show as a difference.
 */
import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { encodeInputs, resolveMlpParams, sliceInputs } from '../models';
import type { Loaded } from './load';
import { preprocessStep } from './preprocess';
import { Reporter, type StepContext } from './report';

const ctx: StepContext = { report: new Reporter(() => {}), shouldStop: () => false };
const HOUR = 3_600_000;

function randomLoaded(rand: () => number, n: number, exogenous: number): Loaded {
  const walk = () => {
    const v = new Float64Array(n);
    for (let i = 1; i < n; i++) v[i] = v[i - 1] + rand() - 0.5;
    return v;
  };
  return {
    filename: 'random.csv',
    series: {
      target: 'y',
      timeColumn: 'time',
      values: walk(),
      timestamps: Float64Array.from({ length: n }, (_, i) => Date.UTC(2024, 0, 1) + i * HOUR),
      rowNumbers: Array.from({ length: n }, (_, i) => i + 2),
    },
    exogenous: Array.from({ length: exogenous }, (_, e) => ({ name: `x${e}`, values: walk() })),
  };
}

/** The same data with every target and exogenous value from row `from` on replaced. */
function perturbFrom(l: Loaded, from: number, rand: () => number): Loaded {
  const change = (v: Float64Array) => Float64Array.from(v, (x, i) => (i >= from ? x + 1000 * (rand() + 0.1) : x));
  return {
    ...l,
    series: { ...l.series, values: change(l.series.values) },
    exogenous: l.exogenous.map((e) => ({ name: e.name, values: change(e.values) })),
  };
}

describe('no leakage from the future (property, 60 seeds)', () => {
  it('training data and scalers ignore validation and test rows; every window ignores rows from its target on', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = prng(seed);
      const params = resolveMlpParams({
        window: 2 + Math.floor(rand() * 10),
        horizon: 1 + Math.floor(rand() * 5),
        scaler: (['standard', 'minmax', 'robust'] as const)[seed % 3],
        calendar: seed % 2 === 0,
        levels: seed % 4 < 2,
      });
      const loaded = randomLoaded(rand, 120 + Math.floor(rand() * 80), seed % 3);
      const a = preprocessStep(loaded, params, seed % 2 ? 'flat' : 'sequence', ctx);
      const { rows, windows } = a.plan;
      const label = `seed ${seed} window ${params.window} horizon ${params.horizon}`;

      // 1. Everything fitted or trained on is blind to the rows after the training part.
      const b = preprocessStep(perturbFrom(loaded, rows.train.end, rand), params, seed % 2 ? 'flat' : 'sequence', ctx);
      expect(b.preprocessing, label).toEqual(a.preprocessing);
      expect(b.train.x, label).toEqual(a.train.x);
      expect(b.train.y, label).toEqual(a.train.y);

      // 2. Each window's inputs are blind to its target row and everything after it.
      const k = Math.floor(rand() * a.windows.count);
      const target = a.windows.targetIndex[k];
      expect(target - a.windows.inputEnd[k], label).toBe(params.horizon);
      const c = preprocessStep(perturbFrom(loaded, a.windows.inputEnd[k] + 1, rand), params, 'flat', ctx);
      const one = { start: k, end: k + 1 };
      const inputsOf = (p: typeof a) => sliceInputs(p.raw, params.window, one);
      expect(inputsOf(c), label).toEqual(inputsOf(a));
      // The encoded inputs, through the same fitted preprocessing, are the same as well.
      expect(encodeInputs(a.preprocessing, inputsOf(c)), label).toEqual(encodeInputs(a.preprocessing, inputsOf(a)));
      // ...while the target row itself did change: the perturbation reached what it should.
      expect(c.windows.y[k], label).not.toBe(a.windows.y[k]);

      // 3. Test windows predict test rows only, from inputs that end `horizon` rows before them.
      for (let j = 0; j < a.test.count; j++) {
        expect(a.test.targetIndex[j]).toBeGreaterThanOrEqual(rows.test.start);
      }
      expect(windows.test.end).toBe(a.windows.count);
    }
  });
});
