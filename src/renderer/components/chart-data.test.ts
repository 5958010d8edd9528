import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import type { MetricPoint } from '../../shared/contract';
import { anomalyScoreData, chartData, curveGroups, systemGroups, ema, joinSeries, lastValue, predictionRows, residualData, scatterData, seriesColor, toXY } from './chart-data';
import { axisPosition, fitAxis, parallelAxes } from './parallel-data';

function randomPoints(rand: () => number, n: number): MetricPoint[] {
  const t0 = 1_700_000_000_000 + Math.floor(rand() * 1e6);
  const steps = new Set<number>();
  while (steps.size < n) steps.add(Math.floor(rand() * n * 3));
  return [...steps].map((step) => ({ step, ts: t0 + step * 250, value: (rand() - 0.3) * 100 }));
}

describe('ema', () => {
  it('weight 0 is the raw series, and a constant series stays constant at any weight (debiased)', () => {
    expect(ema([3, 1, 4, 1, 5], 0)).toEqual([3, 1, 4, 1, 5]);
    for (const w of [0.1, 0.5, 0.9, 0.99]) {
      for (const v of ema(new Array(50).fill(7), w)) expect(v).toBeCloseTo(7, 9);
    }
  });

  it('stays within the range of the values seen so far, over many seeds', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = prng(seed);
      const values = Array.from({ length: 5 + Math.floor(rand() * 200) }, () => (rand() - 0.5) * 1000);
      const w = rand() * 0.99;
      const out = ema(values, w);
      let lo = Infinity;
      let hi = -Infinity;
      out.forEach((v, i) => {
        lo = Math.min(lo, values[i]);
        hi = Math.max(hi, values[i]);
        expect(v, `seed ${seed} index ${i}`).toBeGreaterThanOrEqual(lo - 1e-9);
        expect(v, `seed ${seed} index ${i}`).toBeLessThanOrEqual(hi + 1e-9);
      });
      // The first value is never pulled toward zero.
      expect(out[0]).toBeCloseTo(values[0], 9);
    }
  });

  it('passes non-finite values through without disturbing the average', () => {
    const out = ema([1, NaN, 1, Infinity, 1], 0.6);
    expect(out[1]).toBeNaN();
    expect(out[3]).toBe(Infinity);
    expect(out[4]).toBeCloseTo(1, 9);
  });

  it('smooths: a noisy series varies less once smoothed', () => {
    const rand = prng(42);
    const values = Array.from({ length: 500 }, (_, i) => Math.sin(i / 50) + (rand() - 0.5));
    const roughness = (xs: number[]) => xs.slice(1).reduce((s, v, i) => s + Math.abs(v - xs[i]), 0);
    expect(roughness(ema(values, 0.9))).toBeLessThan(roughness(values) / 3);
  });
});

describe('toXY and joinSeries', () => {
  it('x ascends strictly in every mode, and joining keeps every series value at its x', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rand = prng(seed);
      const series = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => randomPoints(rand, 1 + Math.floor(rand() * 80)));
      for (const mode of ['step', 'relative', 'time'] as const) {
        const tables = series.map((pts) => toXY(pts, mode));
        for (const t of tables) for (let i = 1; i < t.xs.length; i++) expect(t.xs[i]).toBeGreaterThan(t.xs[i - 1]);
        const [xs, ...cols] = joinSeries(tables);
        for (let i = 1; i < xs.length; i++) expect(xs[i], `seed ${seed}`).toBeGreaterThan(xs[i - 1]);
        tables.forEach((t, s) => {
          const at = new Map(xs.map((x, i) => [x, i]));
          t.xs.forEach((x, i) => expect(cols[s][at.get(x)!]).toBe(t.ys[i]));
          expect(cols[s].filter((v) => v !== null)).toHaveLength(t.xs.length);
        });
      }
    }
  });

  it('relative time counts seconds from the first point; wall time is epoch seconds', () => {
    const pts: MetricPoint[] = [
      { step: 0, ts: 10_000, value: 1 },
      { step: 1, ts: 12_500, value: 2 },
    ];
    expect(toXY(pts, 'relative').xs).toEqual([0, 2.5]);
    expect(toXY(pts, 'time').xs).toEqual([10, 12.5]);
    expect(toXY(pts, 'step').xs).toEqual([0, 1]);
  });
});

describe('chartData', () => {
  it('on a log scale, values that cannot be drawn become gaps', () => {
    const pts: MetricPoint[] = [0, -1, 2, 4].map((value, step) => ({ step, ts: step, value }));
    const [xs, col] = chartData([{ id: 'a', label: 'a', color: seriesColor(0), points: pts }], { xMode: 'step', smoothing: 0, log: true });
    expect(xs).toEqual([0, 1, 2, 3]);
    expect(col).toEqual([null, null, 2, 4]);
    expect(lastValue(col)).toBe(4);
  });

  it('gives every run its own colour', () => {
    const colors = Array.from({ length: 20 }, (_, i) => seriesColor(i));
    expect(new Set(colors).size).toBe(20);
  });
});

describe('parallel coordinates', () => {
  it('puts the smallest value at the bottom, the largest at the top, the rest between, over many seeds', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const rand = prng(seed);
      const values = Array.from({ length: 2 + Math.floor(rand() * 10) }, () => Math.round(rand() * 1000) / 10);
      const axis = fitAxis('lr', values);
      const positions = values.map((v) => axisPosition(axis, v)!);
      for (const p of positions) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
      if (axis.max > axis.min) {
        expect(positions[values.indexOf(axis.min)]).toBe(0);
        expect(positions[values.indexOf(axis.max)]).toBe(1);
      }
    }
  });

  it('strings and booleans get category axes; a run without the param has no position', () => {
    const axis = fitAxis('model', ['mlp', 'lstm', 'mlp', undefined]);
    expect(axis.kind).toBe('category');
    expect(axis.categories).toEqual(['lstm', 'mlp']);
    expect(axisPosition(axis, 'lstm')).toBe(0);
    expect(axisPosition(axis, 'mlp')).toBe(1);
    expect(axisPosition(axis, undefined)).toBeNull();
  });

  it('draws the params that vary, then the metric', () => {
    const { params, metric } = parallelAxes(
      [
        { id: 'a', params: { epochs: 5, lr: 0.01, seed: 1 }, metric: 0.4 },
        { id: 'b', params: { epochs: 8, lr: 0.01, seed: 1 }, metric: 0.3 },
      ],
      'test.rmse',
    );
    expect(params.map((a) => a.key)).toEqual(['epochs']);
    expect(metric).toMatchObject({ key: 'test.rmse', kind: 'number', min: 0.3, max: 0.4 });
  });
});

describe('prediction plots', () => {
  it('pairs each prediction with its actual, x ascending, and residuals sum back to the truth, over many seeds', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rand = prng(seed);
      const rows = Array.from({ length: 1 + Math.floor(rand() * 100) }, () => ({ actual: rand() * 10, predicted: rand() * 10 }));
      const [xs, ys, identity] = scatterData(rows);
      expect(xs).toHaveLength(rows.length);
      for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThanOrEqual(xs[i - 1]);
      expect(identity).toEqual(xs);
      const pairs = new Set(rows.map((r) => `${r.actual}:${r.predicted}`));
      xs.forEach((x, i) => expect(pairs.has(`${x}:${ys[i]}`)).toBe(true));
      const [idx, res, zero] = residualData(rows);
      expect(idx).toEqual(rows.map((_, i) => i));
      res.forEach((r, i) => expect(rows[i].predicted + r).toBeCloseTo(rows[i].actual, 12));
      expect(zero.every((z) => z === 0)).toBe(true);
    }
  });

  it('leaves out rows that cannot be drawn', () => {
    const [xs] = scatterData([
      { actual: 1, predicted: NaN },
      { actual: 2, predicted: 2.5 },
    ]);
    expect(xs).toEqual([2]);
  });
});

describe('which series go in which chart', () => {
  const pts = (n: number, f = (i: number) => i): MetricPoint[] => Array.from({ length: n }, (_, i) => ({ step: i, ts: i, value: f(i) }));

  it('puts a curve beside its validation twin, and leaves single values, system samples and predictions out', () => {
    const groups = curveGroups({ loss: pts(5), val_loss: pts(5), mae: pts(3), 'test.rmse': pts(1), 'sys.cpu': pts(9), 'predictions.actual': pts(9) });
    expect(groups).toEqual([
      { title: 'loss', keys: ['loss', 'val_loss'] },
      { title: 'mae', keys: ['mae'] },
    ]);
  });

  it('matches predictions with actuals by step', () => {
    const rows = predictionRows({ 'predictions.actual': pts(4, (i) => i * 10), 'predictions.predicted': pts(3, (i) => i * 10 + 1) });
    expect(rows).toEqual([
      { actual: 0, predicted: 1 },
      { actual: 10, predicted: 11 },
      { actual: 20, predicted: 21 },
    ]);
    expect(predictionRows({ loss: pts(3) })).toEqual([]);
  });
});

describe('systemGroups', () => {
  it('charts percentages together and megabytes together; other samples alone; non-system keys never', () => {
    expect(systemGroups(['loss', 'sys.memory_mb', 'sys.cpu_percent', 'sys.gpu0.util_percent', 'sys.process.memory_mb', 'sys.gpu0.temp_c'])).toEqual([
      { title: 'Utilisation (%)', keys: ['sys.cpu_percent', 'sys.gpu0.util_percent'] },
      { title: 'Memory (MB)', keys: ['sys.memory_mb', 'sys.process.memory_mb'] },
      { title: 'sys.gpu0.temp_c', keys: ['sys.gpu0.temp_c'] },
    ]);
    expect(systemGroups(['loss'])).toEqual([]);
  });
});

describe('anomalyScoreData', () => {
  const pts = (xs: [number, number][]) => xs.map(([step, value]) => ({ step, ts: 0, value }));
  it('draws the threshold level and puts each labelled row on the nearest score point at or after it', () => {
    const series = {
      'scores.score': pts([[10, 0.1], [12, 0.9], [14, 0.2], [16, 0.3]]),
      // Rows 11 and 16 are anomalies; 13 is normal. Row 11 was downsampled away from the score series.
      'scores.label': pts([[11, 1], [13, 0], [16, 1]]),
    };
    const data = anomalyScoreData(series, 0.5)!;
    expect(data[0]).toEqual([10, 12, 14, 16]);
    expect(data[2]).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(data[3]).toEqual([null, 0.9, null, 0.3]);
  });
  it('is null without scores or without a threshold', () => {
    expect(anomalyScoreData({}, 0.5)).toBeNull();
    expect(anomalyScoreData({ 'scores.score': pts([[1, 1]]) }, undefined)).toBeNull();
  });
});
