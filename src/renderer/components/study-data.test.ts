import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { SearchSpace, StudyTrial, TrialStatus, type Direction, type SearchSpaceInput } from '../../shared/contract';
import {
  alignCurves,
  axisFraction,
  axisLabel,
  axisValue,
  compareTrials,
  contourGrid,
  goodness,
  gridCell,
  historyColumns,
  jitter,
  paramAxis,
  paramNames,
  pickCurves,
  sliceData,
  sortTrials,
  spreads,
  studyProgress,
  trialScore,
  viridis,
} from './study-data';

const SPACE: SearchSpace = SearchSpace.parse({
  lr: { type: 'float', low: 1e-4, high: 1e-1, log: true },
  window: { type: 'int', low: 4, high: 48 },
  optimizer: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
  momentum: { type: 'float', low: 0, high: 0.99, when: { param: 'optimizer', equals: ['sgd'] } },
} satisfies SearchSpaceInput);

/** Trials as the contract defines them (parsed), with random states, params, values and curves. */
function makeTrials(rand: () => number, n: number): StudyTrial[] {
  const out: StudyTrial[] = [];
  for (let i = 0; i < n; i++) {
    const state = TrialStatus.options[Math.floor(rand() * TrialStatus.options.length)];
    const optimizer = ['adam', 'sgd', 'rmsprop'][Math.floor(rand() * 3)];
    const params: Record<string, string | number> = {
      lr: Math.pow(10, -4 + rand() * 3),
      window: 4 + Math.floor(rand() * 45),
      optimizer,
    };
    if (optimizer === 'sgd') params.momentum = rand() * 0.99;
    const steps = state === 'failed' ? 0 : Math.floor(rand() * 8);
    const intermediate = Array.from({ length: steps }, (_, s) => ({ step: s, value: rand() * 10 }));
    const value = state === 'completed' || (state === 'pruned' && steps > 0) ? Math.round(rand() * 1000) / 100 : null;
    out.push(
      StudyTrial.parse({
        id: `t${i}`,
        studyId: 's1',
        number: i,
        status: state,
        params,
        value,
        intermediate,
        startedAt: 1000 + i,
        finishedAt: state === 'running' ? null : 2000 + i,
        jobId: null,
        runId: null,
      }),
    );
  }
  // Out of order, as events deliver them.
  return out.sort(() => rand() - 0.5);
}

const DIRECTIONS: Direction[] = ['minimize', 'maximize'];

describe('historyColumns', () => {
  it('draws every finished trial with a value once, by number, and a best-so-far that is the running optimum of completed values (many seeds)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rand = prng(seed);
      const trials = makeTrials(rand, Math.floor(rand() * 80));
      for (const direction of DIRECTIONS) {
        const h = historyColumns(trials, direction);
        const drawn = trials.filter((t) => t.value !== null && (t.status === 'completed' || t.status === 'pruned'));
        expect(h.numbers).toEqual(drawn.map((t) => t.number).sort((a, b) => a - b));
        let best: number | null = null;
        h.numbers.forEach((n, i) => {
          const t = trials.find((x) => x.number === n)!;
          expect(h.completed[i]).toBe(t.status === 'completed' ? t.value : null);
          expect(h.pruned[i]).toBe(t.status === 'pruned' ? t.value : null);
          if (t.status === 'completed') best = best === null ? t.value! : direction === 'minimize' ? Math.min(best, t.value!) : Math.max(best, t.value!);
          expect(h.best[i]).toBe(best);
        });
      }
    }
  });
});

describe('pickCurves and alignCurves', () => {
  it('keep at most the cap: running first, then the best finished with the pruned kept in view, each curve exact on the shared steps (many seeds)', () => {
    for (let seed = 1; seed <= 150; seed++) {
      const rand = prng(seed);
      const trials = makeTrials(rand, Math.floor(rand() * 120));
      const max = 4 + Math.floor(rand() * 40);
      const direction = DIRECTIONS[seed % 2];
      const picked = pickCurves(trials, direction, max);
      const eligible = trials.filter((t) => t.intermediate.length > 0);
      expect(picked.length).toBe(Math.min(max, eligible.length));
      expect(new Set(picked.map((t) => t.id)).size).toBe(picked.length);
      const firstDone = picked.findIndex((t) => t.status !== 'running');
      if (firstDone >= 0) expect(picked.slice(firstDone).every((t) => t.status !== 'running')).toBe(true);
      const cmp = compareTrials(direction);
      const finished = eligible.filter((t) => t.status !== 'running').sort(cmp);
      const running = picked.filter((t) => t.status === 'running');
      expect(running.length).toBeLessThanOrEqual(Math.max(Math.floor(max / 4), max - finished.length));
      // Finished curves are drawn best first, and within each class (pruned, the others) they are
      // that class's best: a prefix of its ranking.
      const done = picked.filter((t) => t.status !== 'running');
      for (let i = 1; i < done.length; i++) expect(cmp(done[i - 1], done[i])).toBeLessThan(0);
      for (const pruned of [true, false]) {
        const ranked = finished.filter((t) => (t.status === 'pruned') === pruned);
        const drawn = done.filter((t) => (t.status === 'pruned') === pruned);
        expect(drawn).toEqual(ranked.slice(0, drawn.length));
      }
      // Pruned trials keep their share when there are any.
      const prunedAvailable = finished.filter((t) => t.status === 'pruned').length;
      const room = max - running.length;
      expect(done.filter((t) => t.status === 'pruned').length).toBeGreaterThanOrEqual(Math.min(prunedAvailable, Math.floor(max / 4), room));

      const { steps, columns } = alignCurves(picked);
      expect([...steps].sort((a, b) => a - b)).toEqual(steps);
      expect(new Set(steps).size).toBe(steps.length);
      picked.forEach((t, i) => {
        expect(columns[i].length).toBe(steps.length);
        for (const p of t.intermediate) expect(columns[i][steps.indexOf(p.step)]).toBe(p.value);
        expect(columns[i].filter((v) => v !== null).length).toBe(t.intermediate.length);
      });
    }
  });

  it('ranks a trial without a final value by its best intermediate value', () => {
    const [t] = makeTrials(prng(3), 1);
    const pruned = { ...t, status: 'pruned' as const, value: null, intermediate: [{ step: 0, value: 5 }, { step: 1, value: 2 }, { step: 2, value: 3 }] };
    expect(trialScore(pruned, 'minimize')).toBe(2);
    expect(trialScore(pruned, 'maximize')).toBe(5);
    expect(trialScore({ ...pruned, intermediate: [] }, 'minimize')).toBeNull();
  });
});

describe('axes, slices and the contour', () => {
  it('places every value within its axis, log axes in decades, categories at their index', () => {
    const lr = paramAxis('lr', SPACE.lr, []);
    expect(lr.log).toBe(true);
    expect(lr.min).toBeCloseTo(-4);
    expect(lr.max).toBeCloseTo(-1);
    expect(axisValue(lr, 1e-2)).toBeCloseTo(-2);
    expect(axisValue(lr, -1)).toBeNull();
    const opt = paramAxis('optimizer', SPACE.optimizer, []);
    expect(opt.categories).toEqual(['adam', 'sgd', 'rmsprop']);
    expect(axisValue(opt, 'sgd')).toBe(1);
    expect(axisValue(opt, 'nadam')).toBeNull();
    for (let i = 0; i < 3; i++) expect(gridCell(opt, i, 30)).toBe(i * 10 + 5);
    const window = paramAxis('w', SPACE.window, []);
    expect(axisFraction(window, 26)).toBeCloseTo(0.5);
    // An int's ticks read as whole numbers wherever they fall; a float's keep three digits.
    expect(axisLabel(window, 16.5)).toBe('17');
    expect(axisLabel(lr, -2.5)).toBe('0.00316');
    expect(axisLabel(opt, 2)).toBe('rmsprop');
    expect(spreads(opt)).toBe(true);
    expect(spreads(paramAxis('layers', { type: 'int', low: 1, high: 3, log: false, step: 1 }, []))).toBe(true);
    expect(spreads(window)).toBe(false);
    expect(spreads(lr)).toBe(false);
  });

  it('slices hold each completed trial that has the param once, sorted by x, with the trial value (many seeds)', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const rand = prng(seed);
      const trials = makeTrials(rand, Math.floor(rand() * 100));
      for (const param of Object.keys(SPACE)) {
        const s = sliceData(trials, param, SPACE[param]);
        const expected = trials.filter((t) => t.status === 'completed' && t.value !== null && t.params[param] !== undefined);
        expect([...s.numbers].sort((a, b) => a - b)).toEqual(expected.map((t) => t.number).sort((a, b) => a - b));
        for (let i = 1; i < s.xs.length; i++) expect(s.xs[i]).toBeGreaterThanOrEqual(s.xs[i - 1]);
        s.numbers.forEach((n, i) => {
          const t = expected.find((x) => x.number === n)!;
          expect(s.ys[i]).toBe(t.value);
          const x = axisValue(s.axis, t.params[param])!;
          // Categories and small int ranges are spread a little around their value, never into the next one.
          expect(Math.abs(s.xs[i] - x)).toBeLessThanOrEqual(spreads(s.axis) ? 0.15 + 1e-12 : 0);
        });
      }
    }
  });

  it('the contour keeps bin means where trials are, stays within their range elsewhere, and draws every trial (many seeds)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = prng(seed);
      const trials = makeTrials(rand, 1 + Math.floor(rand() * 150));
      const pairs: [string, string][] = [
        ['lr', 'window'],
        ['optimizer', 'lr'],
        ['window', 'momentum'],
      ];
      for (const [px, py] of pairs) {
        const g = contourGrid(trials, px, py, SPACE, 16);
        const done = trials.filter((t) => t.status === 'completed' && t.value !== null && t.params[px] !== undefined && t.params[py] !== undefined);
        if (done.length === 0) {
          expect(g).toBeNull();
          continue;
        }
        expect(g).not.toBeNull();
        const grid = g!;
        expect(grid.points.length).toBe(done.length);
        const values = done.map((t) => t.value!);
        const lo = Math.min(...values);
        const hi = Math.max(...values);
        for (const v of grid.values) {
          expect(v).toBeGreaterThanOrEqual(lo - 1e-9);
          expect(v).toBeLessThanOrEqual(hi + 1e-9);
        }
        // A cell holding trials shows exactly their mean.
        const bins = new Map<number, number[]>();
        for (const p of grid.points) {
          const i = gridCell(grid.y, p.y, 16) * 16 + gridCell(grid.x, p.x, 16);
          bins.set(i, [...(bins.get(i) ?? []), p.value]);
        }
        for (const [i, vs] of bins) expect(grid.values[i]).toBeCloseTo(vs.reduce((a, b) => a + b, 0) / vs.length, 9);
      }
    }
  });
});

describe('colours, progress, names and sorting', () => {
  it('puts the better end of the range at the bright end whichever the direction', () => {
    expect(goodness(1, 1, 5, 'minimize')).toBe(1);
    expect(goodness(5, 1, 5, 'maximize')).toBe(1);
    expect(goodness(3, 3, 3, 'minimize')).toBe(0.5);
    const dark = viridis(0);
    const bright = viridis(1);
    expect(bright[0] + bright[1] + bright[2]).toBeGreaterThan(dark[0] + dark[1] + dark[2]);
    for (let t = 0; t <= 1; t += 0.01) for (const c of viridis(t)) expect(c >= 0 && c <= 255).toBe(true);
  });

  it('jitter is deterministic and small', () => {
    for (let n = 0; n < 1000; n++) {
      expect(jitter(n)).toBe(jitter(n));
      expect(Math.abs(jitter(n))).toBeLessThanOrEqual(0.15 + 1e-12);
    }
  });

  it('counts ended trials against the trial budget', () => {
    const spec = { budget: { trials: 10 } } as Parameters<typeof studyProgress>[0]['spec'];
    expect(studyProgress({ counts: { running: 2, completed: 3, pruned: 1, failed: 1 }, spec, status: 'running' })).toEqual({ done: 5, budget: 10, fraction: 0.5 });
    expect(studyProgress({ counts: { running: 0, completed: 3, pruned: 0, failed: 0 }, spec, status: 'completed' }).fraction).toBe(1);
  });

  it('lists the space params first, then any others the trials hold', () => {
    const [t] = makeTrials(prng(9), 1);
    expect(paramNames(SPACE, [{ ...t, params: { ...t.params, extra: 1 } }])).toEqual([...Object.keys(SPACE), 'extra']);
  });

  it('sorts trials by any column with missing values last, ties by number (many seeds)', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = prng(seed);
      const trials = makeTrials(rand, Math.floor(rand() * 60));
      for (const key of ['number', 'status', 'value', 'param:momentum', 'param:optimizer', 'param:lr'] as const) {
        for (const desc of [false, true]) {
          const sorted = sortTrials(trials, key, desc);
          expect(sorted.length).toBe(trials.length);
          const get = (t: StudyTrial) => (key === 'number' ? t.number : key === 'status' ? t.status : key === 'value' ? t.value : (t.params[key.slice(6)] ?? null));
          const firstMissing = sorted.findIndex((t) => get(t) === null);
          if (firstMissing >= 0) expect(sorted.slice(firstMissing).every((t) => get(t) === null)).toBe(true);
          for (let i = 1; i < sorted.length; i++) {
            const a = get(sorted[i - 1]);
            const b = get(sorted[i]);
            if (a === null || b === null) continue;
            const c = typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), undefined, { numeric: true });
            expect(desc ? c >= 0 : c <= 0).toBe(true);
            if (c === 0) expect(sorted[i - 1].number).toBeLessThan(sorted[i].number);
          }
        }
      }
    }
  });
});
