import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { downsample, MIN_MAX_POINTS, type SeriesPoint } from './downsample';

/** Random walks with spikes, plateaus (ties) and the odd infinity: the shapes training curves take. */
function randomSeries(rand: () => number): SeriesPoint[] {
  const n = Math.floor(rand() ** 2 * 20000);
  const shape = Math.floor(rand() * 4);
  const points: SeriesPoint[] = [];
  let v = rand() * 10 - 5;
  for (let i = 0; i < n; i++) {
    if (shape === 0) v += rand() - 0.5;
    else if (shape === 1) v = Math.round(rand() * 3); // few distinct values: many ties
    else if (shape === 2) v = 1 / (i + 1) + (rand() < 0.001 ? (rand() < 0.5 ? -1 : 1) * rand() * 1e6 : 0);
    else v = rand() < 0.0005 ? (rand() < 0.5 ? -Infinity : Infinity) : Math.sin(i / 50) + rand() * 0.1;
    points.push({ step: i, ts: 1_700_000_000_000 + i * 10, value: v });
  }
  return points;
}

describe('downsample (min/max buckets)', () => {
  it('over many random series: never more than maxPoints, extremes, first and last always kept, order preserved', () => {
    for (let seed = 1; seed <= 400; seed++) {
      const rand = prng(seed);
      const points = randomSeries(rand);
      const maxPoints = MIN_MAX_POINTS + Math.floor(rand() * 2000);
      const out = downsample(points, maxPoints);
      const where = `seed ${seed}, ${points.length} points, maxPoints ${maxPoints}`;

      expect(out.length, where).toBeLessThanOrEqual(maxPoints);
      if (points.length <= maxPoints) {
        expect(out, where).toEqual(points);
        continue;
      }
      expect(out[0], where).toBe(points[0]);
      expect(out[out.length - 1], where).toBe(points[points.length - 1]);
      let lo = Infinity;
      let hi = -Infinity;
      for (const p of points) {
        lo = Math.min(lo, p.value);
        hi = Math.max(hi, p.value);
      }
      expect(Math.min(...out.map((p) => p.value)), where).toBe(lo);
      expect(Math.max(...out.map((p) => p.value)), where).toBe(hi);
      // A subsequence of the original points, in their order (the objects themselves, not copies).
      let at = -1;
      for (const p of out) {
        const next = points.indexOf(p, at + 1);
        expect(next, where).toBeGreaterThan(at);
        at = next;
      }
      // Not wasteful: a long series fills most of its budget.
      if (points.length >= 2 * maxPoints) expect(out.length, where).toBeGreaterThanOrEqual(maxPoints / 2);
    }
  });

  it('keeps a single spike in a million flat points', () => {
    const points = Array.from({ length: 1_000_000 }, (_, i) => ({ step: i, ts: i, value: i === 654_321 ? 99 : 1 }));
    const out = downsample(points, 1000);
    expect(out.length).toBeLessThanOrEqual(1000);
    expect(out.some((p) => p.step === 654_321)).toBe(true);
  });

  it('refuses a cap too small to keep first, last, minimum and maximum', () => {
    expect(() => downsample([], 3)).toThrow(RangeError);
    expect(() => downsample([], 10.5)).toThrow(RangeError);
  });
});
