import { describe, expect, it } from 'vitest';
import { prng } from '../../../../test/helpers/rng';
import { fitGbdt, gbdtPredict, type GbdtOptions } from './gbdt';
import { GBDT_DEFAULTS } from './gbdt-params';
import { ridgePredict, ridgeSystem, solveRidge } from './ridge';

const OPTIONS: GbdtOptions = { ...GBDT_DEFAULTS, rounds: 300, learningRate: 0.1, patience: 20 };

/** y = sin(2 x0) * x1 + |x2| with noise: no linear model can fit it. */
function samples(n: number, seed: number) {
  const rand = prng(seed);
  const x = new Float64Array(n * 3);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = rand() * 6 - 3;
    const b = rand() * 4 - 2;
    const c = rand() * 4 - 2;
    x.set([a, b, c], i * 3);
    y[i] = Math.sin(2 * a) * b + Math.abs(c) + 0.05 * (rand() - 0.5);
  }
  return { x, y, count: n, features: 3 };
}

const mse = (p: ArrayLike<number>, y: ArrayLike<number>) => Array.from(y).reduce((s, v, i) => s + (p[i] - v) ** 2, 0) / y.length;

describe('gradient-boosted trees', () => {
  it('learn a non-linear function that ridge cannot, and stop on validation', () => {
    const train = samples(3000, 1);
    const val = samples(500, 2);
    const test = samples(500, 3);
    const fit = fitGbdt(train, val, OPTIONS);
    const variance = mse(new Float64Array(test.count).fill(Array.from(test.y).reduce((a, b) => a + b) / test.count), test.y);
    const trees = mse(gbdtPredict(fit.model, test.x, test.count), test.y);
    const ridge = solveRidge(ridgeSystem(train.x, train.y, train.count, 3), 0);
    const linear = mse(ridgePredict(ridge, test.x, test.count), test.y);
    expect(trees / variance).toBeLessThan(0.1);
    expect(linear / variance).toBeGreaterThan(0.5);
    // The kept trees are those up to the best validation error.
    expect(fit.model.trees).toHaveLength(fit.bestRound);
    expect(fit.valError[fit.bestRound - 1]).toBe(Math.min(...fit.valError));
    expect(Math.min(...fit.valError)).toBeLessThan(fit.valError[0]);
  });

  it('are the same trees for the same seed, and others for another seed when rows are subsampled', () => {
    const train = samples(800, 4);
    const val = samples(200, 5);
    const o = { ...OPTIONS, rounds: 40, subsample: 0.7 };
    const a = fitGbdt(train, val, { ...o, seed: 1 });
    const b = fitGbdt(train, val, { ...o, seed: 1 });
    const c = fitGbdt(train, val, { ...o, seed: 2 });
    expect(JSON.stringify(b.model)).toBe(JSON.stringify(a.model));
    expect(JSON.stringify(c.model)).not.toBe(JSON.stringify(a.model));
    // Without subsampling nothing is random: the seed changes nothing.
    const d = fitGbdt(train, val, { ...o, subsample: 1, seed: 1 });
    const e = fitGbdt(train, val, { ...o, subsample: 1, seed: 9 });
    expect(JSON.stringify(e.model)).toBe(JSON.stringify(d.model));
  });

  it('respect the leaf limits: no leaf below minLeaf rows, no tree beyond maxLeaves', () => {
    const train = samples(500, 6);
    const fit = fitGbdt(train, samples(100, 7), { ...OPTIONS, rounds: 5, maxLeaves: 8, minLeaf: 40, patience: 0 });
    for (const t of fit.model.trees) {
      const leaves = t.feature.filter((f) => f < 0).length;
      expect(leaves).toBeLessThanOrEqual(8);
      const counts = new Map<number, number>();
      for (let r = 0; r < train.count; r++) {
        let n = 0;
        while (t.feature[n] >= 0) n = train.x[r * 3 + t.feature[n]] <= t.threshold[n] ? t.left[n] : t.right[n];
        counts.set(n, (counts.get(n) ?? 0) + 1);
      }
      for (const c of counts.values()) expect(c).toBeGreaterThanOrEqual(40);
    }
  });

  it('fitted to absolute error, beat least squares on MAE where the noise is skewed', () => {
    const skewed = (n: number, seed: number) => {
      const rand = prng(seed);
      const x = new Float64Array(n * 3);
      const y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        x.set([rand() * 4 - 2, rand(), rand()], i * 3);
        // Exponential noise: the median sits well below the mean.
        y[i] = Math.sin(x[i * 3]) - 2 * Math.log(1 - rand());
      }
      return { x, y, count: n, features: 3 };
    };
    const train = skewed(2000, 21);
    const val = skewed(500, 22);
    const test = skewed(1000, 23);
    const mae = (o: GbdtOptions) => {
      const p = gbdtPredict(fitGbdt(train, val, o).model, test.x, test.count);
      return Array.from(test.y).reduce((s, v, i) => s + Math.abs(p[i] - v), 0) / test.count;
    };
    expect(mae({ ...OPTIONS, loss: 'absolute' })).toBeLessThan(0.98 * mae({ ...OPTIONS, loss: 'squared' }));
  });
});

