import { describe, expect, it } from 'vitest';
import { prng } from '../../../../test/helpers/rng';
import { ridgePredict, ridgeSystem, solveRidge, solveRidgeAbsolute } from './ridge';

/** An independent solve: Gaussian elimination with partial pivoting on [X 1]'[X 1] + penalty on the weights only. */
function gaussianRidge(x: number[][], y: number[], l2: number): number[] {
  const n = x.length;
  const d = x[0].length + 1;
  const rows = x.map((r) => [...r, 1]);
  const a = Array.from({ length: d }, (_, i) => Array.from({ length: d + 1 }, (_, j) => {
    if (j === d) return rows.reduce((s, r, k) => s + r[i] * y[k], 0);
    return rows.reduce((s, r) => s + r[i] * r[j], 0) + (i === j && i < d - 1 ? n * l2 : 0);
  }));
  for (let c = 0; c < d; c++) {
    let p = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
    [a[c], a[p]] = [a[p], a[c]];
    for (let r = 0; r < d; r++) {
      if (r === c) continue;
      const f = a[r][c] / a[c][c];
      for (let j = c; j <= d; j++) a[r][j] -= f * a[c][j];
    }
  }
  return a.map((r, i) => r[d] / r[i]);
}

function problem(n: number, d: number, seed: number, noise: number) {
  const rand = prng(seed);
  const truth = Array.from({ length: d }, () => rand() * 4 - 2);
  const x = Array.from({ length: n }, () => Array.from({ length: d }, () => rand() * 10 - 5));
  const y = x.map((r) => 3.5 + r.reduce((s, v, j) => s + v * truth[j], 0) + noise * (rand() - 0.5));
  return { x, y, truth, flat: x.flat() };
}

describe('ridge in closed form', () => {
  it('recovers the coefficients of exact linear data, with an intercept, when unpenalised', () => {
    const { flat, y, truth } = problem(40, 5, 1, 0);
    const c = solveRidge(ridgeSystem(flat, y, 40, 5), 0);
    c.weights.forEach((w, j) => expect(w).toBeCloseTo(truth[j], 10));
    expect(c.intercept).toBeCloseTo(3.5, 10);
  });

  it('matches an independent solve of the penalised normal equations, intercept left unpenalised', () => {
    const { x, flat, y } = problem(30, 4, 7, 3);
    for (const l2 of [0, 0.01, 0.5, 10]) {
      const c = solveRidge(ridgeSystem(flat, y, 30, 4), l2);
      const expected = gaussianRidge(x, y, l2);
      c.weights.forEach((w, j) => expect(w, `l2 ${l2} weight ${j}`).toBeCloseTo(expected[j], 9));
      expect(c.intercept).toBeCloseTo(expected[4], 9);
    }
    // A penalty shrinks the weights, never the intercept: with a huge one the fit is the mean.
    const flatFit = solveRidge(ridgeSystem(flat, y, 30, 4), 1e9);
    const mean = y.reduce((a, b) => a + b, 0) / y.length;
    expect(Math.max(...flatFit.weights.map(Math.abs))).toBeLessThan(1e-6);
    expect(ridgePredict(flatFit, flat, 30)[0]).toBeCloseTo(mean, 5);
  });

  it('solves a singular system (a duplicated column) without a penalty, predicting as least squares does', () => {
    const { x, y } = problem(20, 2, 3, 1);
    const dup = x.map((r) => [r[0], r[1], r[1]]).flat();
    const c = solveRidge(ridgeSystem(dup, y, 20, 3), 0);
    const plain = solveRidge(ridgeSystem(x.flat(), y, 20, 2), 0);
    const a = ridgePredict(c, dup, 20);
    const b = ridgePredict(plain, x.flat(), 20);
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 6));
  });

  it('fitted to absolute error, forecasts the median: outliers on one side do not pull it', () => {
    const rand = prng(11);
    const n = 400;
    const x = Array.from({ length: n }, () => rand() * 10);
    // y = 1 + 2x, plus small noise, and a fifth of the rows far above the line.
    const y = x.map((v, i) => 1 + 2 * v + 0.1 * (rand() - 0.5) + (i % 5 === 0 ? 20 + 10 * rand() : 0));
    const lad = solveRidgeAbsolute(x, y, n, 1, 0);
    const ls = solveRidge(ridgeSystem(x, y, n, 1), 0);
    expect(lad.weights[0]).toBeCloseTo(2, 1);
    expect(lad.intercept).toBeCloseTo(1, 0);
    // Least squares is pulled up by the outliers' mean (about a fifth of 25).
    expect(ls.intercept).toBeGreaterThan(4);
  });
});
