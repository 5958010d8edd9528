import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { validateSpace } from '../space';
import { codecFor } from './codec';
import { logGaussMass } from './gauss';
import { defaultWeights, ParzenEstimator, sortedOrder } from './parzen';

const normalCdf = (z: number): number => {
  // Plain trapezoidal integration of the density: slow, obviously right, for checking only.
  const lo = -12;
  if (z <= lo) return 0;
  const n = 20000;
  const h = (z - lo) / n;
  let s = 0;
  for (let i = 0; i <= n; i++) s += (i === 0 || i === n ? 0.5 : 1) * Math.exp(-0.5 * (lo + i * h) ** 2);
  return (s * h) / Math.sqrt(2 * Math.PI);
};

describe('Parzen estimator internals', () => {
  it('orders values as a sort does, duplicates and bounds included', () => {
    for (let seed = 0; seed < 50; seed++) {
      const rng = new Rng(seed);
      const n = 1 + rng.int(300);
      const values = Float64Array.from({ length: n }, () => (rng.next() < 0.2 ? 0.5 : rng.next() < 0.1 ? 1 : rng.next()));
      const order = sortedOrder(values, 0, 1);
      expect(new Set(order).size).toBe(n);
      for (let i = 1; i < n; i++) expect(values[order[i]]).toBeGreaterThanOrEqual(values[order[i - 1]]);
    }
  });

  it("gives tied values their bandwidths in numpy's argsort order, as Optuna does", () => {
    // 72 int observations, many repeated, weighed by age: which copy of a tied value gets the gap
    // to a neighbour changes the density. Bandwidths and log densities from Optuna 3.1's _ParzenEstimator.
    const units = [
      3, 0, 13, 13, 17, 9, 13, 17, 3, 14, 20, 11, 8, 8, 7, 5, 10, 6, 11, 16, 11, 11, 12, 15, 11, 12, 18, 14, 12, 10, 4, 15, 14, 12,
      1, 9, 14, 13, 12, 18, 9, 14, 15, 16, 16, 13, 15, 18, 15, 20, 17, 15, 15, 15, 19, 17, 16, 15, 19, 15, 16, 15, 17, 13, 15, 14,
      16, 19, 17, 16, 15, 13,
    ];
    const optunaSigmas = '21m1m1mm1mmm1111m1m1m11m1m1mm11mmm2mmm1m11mmmmm1m11mm111mmmm1mm1m1m1mm1mR';
    const optunaLogPdf = [
      -5.361777, -5.239621, -5.091936, -4.778997, -4.570996, -4.623348, -4.725973, -4.625493, -4.292265, -3.484805, -3.648541, -3.149653,
      -2.770109, -2.43926, -2.44547, -1.473967, -1.994167, -2.492445, -2.896815, -2.918159, -3.514964,
    ];
    const codecs = validateSpace({ units: { type: 'int', low: 0, high: 20 } }).params.map(codecFor);
    const pe = new ParzenEstimator(codecs, [Float64Array.from(units)], { priorWeight: 1, multivariate: false, ageDecay: true });
    const sigmas = (pe as unknown as { dims: { sigmas: Float64Array }[] }).dims[0].sigmas;
    const pattern = Array.from(sigmas, (s) => (Math.abs(s - 21 / 74) < 1e-12 ? 'm' : s === 21 ? 'R' : String(s))).join('');
    expect(pattern).toBe(optunaSigmas);
    const logPdf = pe.logScore([Float64Array.from({ length: 21 }, (_, i) => i)], 21);
    optunaLogPdf.forEach((v, i) => expect(logPdf[i]).toBeCloseTo(v, 5));
  });

  it('computes Gaussian masses in log space, deep into the tails', () => {
    for (const [a, b] of [
      [-1, 1],
      [0.5, 2],
      [-3, -0.5],
      [-0.2, 9],
      [3, 4],
    ]) {
      expect(Math.exp(logGaussMass(a, b))).toBeCloseTo(normalCdf(b) - normalCdf(a), 6);
    }
    // 30 deviations out a mass of about 1e-198 is still finite in log space.
    expect(logGaussMass(30, 31)).toBeGreaterThan(-460);
    expect(logGaussMass(30, 31)).toBeLessThan(-450);
    expect(logGaussMass(-31, -30)).toBeCloseTo(logGaussMass(30, 31), 9);
  });

  it('ramps the weights of old observations as Optuna does', () => {
    expect(Array.from(defaultWeights(3))).toEqual([1, 1, 1]);
    const w = defaultWeights(30);
    expect(w[0]).toBeCloseTo(1 / 30, 12);
    expect(w[4]).toBeCloseTo(1, 12);
    expect(Array.from(w.subarray(5))).toEqual(Array(25).fill(1));
  });

  it('weighs every observation the same, unless told to fade the old ones as Optuna does', () => {
    const codecs = validateSpace({ x: { type: 'float', low: 0, high: 1 } }).params.map(codecFor);
    const weightsOf = (pe: ParzenEstimator): number[] =>
      Array.from((pe as unknown as { logWeights: Float64Array }).logWeights, (v) => Math.exp(v));
    for (let seed = 0; seed < 20; seed++) {
      const rng = new Rng(seed);
      const m = 1 + rng.int(80);
      const priorWeight = 0.5 + rng.next() * 2;
      const obs = [Float64Array.from({ length: m }, () => rng.next())];
      const flat = weightsOf(new ParzenEstimator(codecs, obs, { priorWeight, multivariate: false }));
      const faded = weightsOf(new ParzenEstimator(codecs, obs, { priorWeight, multivariate: false, ageDecay: true }));
      const ramp = Array.from(defaultWeights(m));
      const normalise = (w: number[]): number[] => w.map((v) => v / w.reduce((a, b) => a + b, 0));
      const expectedFlat = normalise([...Array<number>(m).fill(1), priorWeight]);
      const expectedFaded = normalise([...ramp, priorWeight]);
      for (let j = 0; j <= m; j++) {
        expect(flat[j]).toBeCloseTo(expectedFlat[j], 12);
        expect(faded[j]).toBeCloseTo(expectedFaded[j], 12);
      }
      // Past 25 observations the two differ: the oldest one weighs less once faded.
      if (m > 26) expect(faded[0]).toBeLessThan(flat[0]);
    }
  });

  it('scores points as the plain sum over kernels of weight x bin mass (stepped, categorical) or scaled density', () => {
    const space = validateSpace({
      x: { type: 'float', low: -2, high: 3 },
      n: { type: 'int', low: 0, high: 6 },
      c: { type: 'categorical', choices: ['a', 'b', 'c'] },
    });
    const codecs = space.params.map(codecFor);
    const rng = new Rng(4);
    const m = 12;
    const obs = [
      Float64Array.from({ length: m }, () => rng.uniform(-2, 3)),
      Float64Array.from({ length: m }, () => rng.int(7)),
      Float64Array.from({ length: m }, () => rng.int(3)),
    ];
    for (const multivariate of [false, true]) {
      const pe = new ParzenEstimator(codecs, obs, { priorWeight: 1, multivariate });
      const points = pe.sample(rng, 6);
      const scores = pe.logScore(points, 6);
      // The same mixture written out term by term, with the bandwidths read back from the estimator.
      const dims = (pe as unknown as { dims: { mus?: Float64Array; sigmas?: Float64Array }[] }).dims;
      const weights = [...Array.from({ length: m }, () => 1), 1].map((v, _, all) => v / all.length);
      for (let c = 0; c < 6; c++) {
        let sum = 0;
        for (let j = 0; j <= m; j++) {
          const { mus: muX, sigmas: sdX } = dims[0] as { mus: Float64Array; sigmas: Float64Array };
          const zx = (points[0][c] - muX[j]) / sdX[j];
          const zx0 = (-2 - muX[j]) / sdX[j];
          const zx1 = (3 - muX[j]) / sdX[j];
          const px = Math.exp(-0.5 * zx * zx) / Math.sqrt(2 * Math.PI) / Math.exp(logGaussMass(zx0, zx1));
          const { mus: muN, sigmas: sdN } = dims[1] as { mus: Float64Array; sigmas: Float64Array };
          const zn = (v: number): number => (v - muN[j]) / sdN[j];
          const pn = Math.exp(logGaussMass(zn(points[1][c] - 0.5), zn(points[1][c] + 0.5)) - logGaussMass(zn(-0.5), zn(6.5)));
          const smooth = 1 / (m + 1);
          const pc = j === m ? 1 / 3 : (smooth + (obs[2][j] === points[2][c] ? 1 : 0)) / (3 * smooth + 1);
          sum += weights[j] * px * pn * pc;
        }
        expect(scores[c]).toBeCloseTo(Math.log(sum), 6);
      }
    }
  });

  it('draws only values inside the bounds', () => {
    const space = validateSpace({ lr: { type: 'float', low: 1e-4, high: 1, log: true }, k: { type: 'int', low: 2, high: 9, step: 7 } });
    const codecs = space.params.map(codecFor);
    const rng = new Rng(9);
    const pe = new ParzenEstimator(codecs, [Float64Array.from([Math.log(1e-4), Math.log(0.9)]), Float64Array.from([2, 9])], {
      priorWeight: 1,
      multivariate: false,
    });
    const [lr, k] = pe.sample(rng, 500);
    for (let i = 0; i < 500; i++) {
      expect(Math.exp(lr[i])).toBeGreaterThanOrEqual(1e-4 * (1 - 1e-12));
      expect(Math.exp(lr[i])).toBeLessThanOrEqual(1 + 1e-12);
      expect([2, 9]).toContain(k[i]);
    }
  });
});
