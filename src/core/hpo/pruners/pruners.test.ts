import { describe, expect, it } from 'vitest';
import { AshaPruner, createPruner, HyperbandPruner, MedianPruner, type TrialView } from '../index';

/** A trial with a learning curve: values[i] reported at step i (or at the given steps). */
function curve(number: number, state: TrialView['status'], values: number[], steps?: number[]): TrialView {
  return {
    number,
    status: state,
    params: {},
    value: state === 'completed' ? values[values.length - 1] : null,
    intermediate: values.map((value, i) => ({ step: steps ? steps[i] : i, value })),
  };
}

/** Five finished trials with flat curves at 1.0, 1.1, 1.2, 1.3, 1.4: the median at every step is 1.2. */
const finished = [0, 1, 2, 3, 4].map((k) => curve(k, 'completed', Array(10).fill(1 + k * 0.1)));

describe('median pruner', () => {
  const pruner = new MedianPruner({ direction: 'minimize' });

  it('stops a trial whose best value so far is worse than the median at the same step', () => {
    expect(pruner.shouldPrune(curve(9, 'running', [1.5, 1.4]), finished)).toBe(true);
    expect(pruner.shouldPrune(curve(9, 'running', [1.5, 1.1]), finished)).toBe(false);
    // A trial that was good earlier is judged on its best value, not its latest.
    expect(pruner.shouldPrune(curve(9, 'running', [1.0, 1.6, 1.7]), finished)).toBe(false);
    // Equal to the median is not worse.
    expect(pruner.shouldPrune(curve(9, 'running', [1.2]), finished)).toBe(false);
  });

  it('waits for the startup trials and the warm-up steps', () => {
    expect(pruner.shouldPrune(curve(9, 'running', [5]), finished.slice(0, 4))).toBe(false);
    const warm = new MedianPruner({ direction: 'minimize', nWarmupSteps: 3 });
    expect(warm.shouldPrune(curve(9, 'running', [5, 5, 5]), finished)).toBe(false);
    expect(warm.shouldPrune(curve(9, 'running', [5, 5, 5, 5]), finished)).toBe(true);
    const sparse = new MedianPruner({ direction: 'minimize', intervalSteps: 2 });
    expect(sparse.shouldPrune(curve(9, 'running', [5, 5]), finished)).toBe(false);
    expect(sparse.shouldPrune(curve(9, 'running', [5, 5, 5]), finished)).toBe(true);
  });

  it('compares only with completed trials that reported the same step', () => {
    const others = [...finished.slice(0, 4), curve(4, 'completed', [0.1, 0.1], [0, 1]), curve(5, 'pruned', [0.01, 0.01, 0.01, 0.01])];
    // At step 3 the median is of 1.0..1.3 (1.15); the short curve and the pruned trial do not count.
    expect(pruner.shouldPrune(curve(9, 'running', [2, 2, 2, 1.16]), others)).toBe(true);
    expect(pruner.shouldPrune(curve(9, 'running', [2, 2, 2, 1.14]), others)).toBe(false);
    // At step 1 the short curve counts: median of 1.0, 1.1, 1.2, 1.3, 0.1 is 1.1.
    expect(pruner.shouldPrune(curve(9, 'running', [2, 1.15]), others)).toBe(true);
  });

  it('reads the direction: when maximising, lower than the median is worse', () => {
    const up = new MedianPruner({ direction: 'maximize' });
    expect(up.shouldPrune(curve(9, 'running', [1.1]), finished)).toBe(true);
    expect(up.shouldPrune(curve(9, 'running', [1.3]), finished)).toBe(false);
  });

  it('stops a trial that only ever reported NaN (it diverged)', () => {
    expect(pruner.shouldPrune(curve(9, 'running', [NaN, NaN]), finished)).toBe(true);
  });
});

describe('ASHA', () => {
  // Rungs at steps 1, 2, 4, 8 (minResource 1, reduction factor 2).
  const asha = new AshaPruner({ direction: 'minimize', minResource: 1, reductionFactor: 2 });
  const rivals = [1, 2, 3, 4].map((v, k) => curve(k, 'completed', [v, v, v, v, v, v, v, v, v]));

  it('promotes at a rung only the top 1/eta of the trials that reached it', () => {
    // Five values at rung 1 (four rivals and the trial): the best floor(5/2) = 2 continue.
    expect(asha.rungStep(0)).toBe(1);
    expect(asha.shouldPrune(curve(9, 'running', [9, 2.5]), rivals)).toBe(true);
    expect(asha.shouldPrune(curve(9, 'running', [9, 1.5]), rivals)).toBe(false);
    expect(asha.shouldPrune(curve(9, 'running', [9, 2]), rivals)).toBe(false);
  });

  it('decides only when a rung is first reached, never again later', () => {
    // Step 3 reaches no new rung (rungs are 1, 2, 4): nothing to decide whatever the value.
    expect(asha.shouldPrune(curve(9, 'running', [9, 1.5, 1.5, 100]), rivals)).toBe(false);
    // Step 4 is a rung: there 100 is far from the top half.
    expect(asha.shouldPrune(curve(9, 'running', [9, 1.5, 1.5, 1.5, 100]), rivals)).toBe(true);
  });

  it('lets the first trials through when there are fewer than eta of them, if they are the best', () => {
    expect(asha.shouldPrune(curve(0, 'running', [9, 5]), [])).toBe(false);
    expect(asha.shouldPrune(curve(1, 'running', [9, 6]), [curve(0, 'running', [9, 5])])).toBe(true);
  });

  it('reads the direction', () => {
    const up = new AshaPruner({ direction: 'maximize', minResource: 1, reductionFactor: 2 });
    expect(up.shouldPrune(curve(9, 'running', [0, 3.5]), rivals)).toBe(false);
    expect(up.shouldPrune(curve(9, 'running', [0, 2.5]), rivals)).toBe(true);
  });

  it('shifts its first rung with the early-stopping rate', () => {
    const late = new AshaPruner({ direction: 'minimize', minResource: 1, reductionFactor: 2, minEarlyStoppingRate: 2 });
    expect(late.rungStep(0)).toBe(4);
    expect(late.shouldPrune(curve(9, 'running', [100, 100, 100]), rivals)).toBe(false);
    expect(late.shouldPrune(curve(9, 'running', [100, 100, 100, 100, 100]), rivals)).toBe(true);
  });
});

describe('hyperband', () => {
  const hb = new HyperbandPruner({ direction: 'minimize', minResource: 1, maxResource: 27, reductionFactor: 3 });

  it('has the paper\'s brackets for R = 27, eta = 3, and assigns each trial to one deterministically', () => {
    expect(hb.bracketCount).toBe(4);
    const again = new HyperbandPruner({ direction: 'minimize', minResource: 1, maxResource: 27, reductionFactor: 3 });
    const counts = [0, 0, 0, 0];
    for (let n = 0; n < 4900; n++) {
      expect(again.bracketOf(n)).toBe(hb.bracketOf(n));
      counts[hb.bracketOf(n)]++;
    }
    // Budgets 27 : 12 : 6 : 4 of 49: the most aggressive bracket gets the most trials, the last the fewest.
    expect(counts[0]).toBeGreaterThan(counts[1]);
    expect(counts[1]).toBeGreaterThan(counts[2]);
    expect(counts[2]).toBeGreaterThan(counts[3]);
  });

  it('makes a trial compete only with the trials of its own bracket', () => {
    const inBracket0 = Array.from({ length: 200 }, (_, n) => n).filter((n) => hb.bracketOf(n) === 0);
    const elsewhere = Array.from({ length: 200 }, (_, n) => n).filter((n) => hb.bracketOf(n) !== 0);
    const [me, rival] = inBracket0;
    const good = (n: number): TrialView => curve(n, 'completed', Array(28).fill(0.1));
    // Bracket 0's first rung is step 1. Strong trials in other brackets do not count...
    expect(hb.shouldPrune(curve(me, 'running', [5, 5]), elsewhere.slice(0, 10).map(good))).toBe(false);
    // ...a strong trial of the same bracket does.
    expect(hb.shouldPrune(curve(me, 'running', [5, 5]), [good(rival)])).toBe(true);
  });
});

describe('createPruner', () => {
  it('builds each pruner from a spec and refuses a bad one by field', () => {
    expect(createPruner({ type: 'none' }, 'minimize').shouldPrune(curve(9, 'running', [NaN]), finished)).toBe(false);
    expect(createPruner({ type: 'median' }, 'minimize').shouldPrune(curve(9, 'running', [5]), finished)).toBe(true);
    expect(createPruner({ type: 'asha', reductionFactor: 3 }, 'minimize').name).toBe('asha');
    expect(() => createPruner({ type: 'asha', reductionFactor: 1 }, 'minimize')).toThrow(/pruner.reductionFactor/);
    expect(() => createPruner({ type: 'hyperband', minResource: 5, maxResource: 2 }, 'minimize')).toThrow(/pruner.maxResource/);
  });
});
