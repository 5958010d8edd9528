import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { SCALER_KINDS, fitScaler, inverseTransform, transform } from './index';

describe('scalers', () => {
  it('min-max maps the training range onto [0, 1], per column', () => {
    const s = fitScaler([2, 10, 4, 30, 6, 20], 2, 'minmax');
    expect(s).toEqual({ kind: 'minmax', center: [2, 10], scale: [4, 20] });
    expect(Array.from(transform(s, [2, 10, 6, 30, 4, 20]))).toEqual([0, 0, 1, 1, 0.5, 0.5]);
  });

  it('robust centres on the median and divides by the interquartile range, so one outlier barely moves it', () => {
    const base = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const s = fitScaler(base, 1, 'robust');
    expect(s.center).toEqual([5]);
    expect(s.scale).toEqual([4]); // numpy: percentile 75 = 7, percentile 25 = 3
    const outlier = fitScaler([...base.slice(0, 8), 1e9], 1, 'robust');
    expect(outlier.center).toEqual([5]);
    expect(outlier.scale).toEqual([4]);
    const standard = fitScaler([...base.slice(0, 8), 1e9], 1, 'standard');
    expect(standard.scale[0]).toBeGreaterThan(1e8);
  });

  it('every kind inverts exactly and leaves a constant column finite (property, 200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = prng(seed);
      const cols = 1 + Math.floor(rand() * 4);
      const rows = 1 + Math.floor(rand() * 30);
      const data = Array.from({ length: rows * cols }, (_, i) => (i % cols === 0 ? 7 : (rand() - 0.5) * 10 ** Math.floor(rand() * 6)));
      for (const kind of SCALER_KINDS) {
        const s = fitScaler(data, cols, kind);
        expect(s.scale.every((v) => Number.isFinite(v) && v > 0), `${kind} seed ${seed}`).toBe(true);
        // Column 0 is constant: it is left unscaled (scale 1), only shifted.
        expect(s.scale[0]).toBe(1);
        const back = inverseTransform(s, transform(s, data));
        back.forEach((v, i) => expect(v).toBeCloseTo(data[i], 6));
      }
    }
  });
});
