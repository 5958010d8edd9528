import { describe, expect, it } from 'vitest';
import { parameterImportance, RandomSampler, Rng, validateSpace, type Assignment, type TrialView, type ValidSpace } from './index';

function study(space: ValidSpace, n: number, seed: number, objective: (p: Readonly<Assignment>, rng: Rng) => number): TrialView[] {
  const sampler = new RandomSampler(space, seed);
  const noise = new Rng(seed, 99);
  const trials: TrialView[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampler.propose(trials);
    trials.push({ number: i, status: 'completed', params, value: objective(params, noise) });
  }
  return trials;
}

describe('parameter importance (fANOVA)', () => {
  const space = validateSpace({
    a: { type: 'float', low: 0, high: 1 },
    b: { type: 'float', low: 1e-4, high: 1, log: true },
    c: { type: 'int', low: 0, high: 10 },
    d: { type: 'categorical', choices: ['x', 'y', 'z'] },
  });

  it.each(['a', 'b', 'c', 'd'])('ranks the only relevant parameter (%s) first, with most of the importance', (relevant) => {
    const effect: Record<string, (p: Readonly<Assignment>) => number> = {
      a: (p) => Math.sin(6 * (p.a as number)),
      b: (p) => Math.log10(p.b as number),
      c: (p) => ((p.c as number) - 5) ** 2,
      d: (p) => ({ x: 0, y: 3, z: 1 })[p.d as string]!,
    };
    const trials = study(space, 150, 1, (p, rng) => effect[relevant](p) + 0.01 * rng.normal());
    const ranking = parameterImportance(space, trials, { seed: 1, nTrees: 16 });
    expect(ranking[0].param).toBe(relevant);
    expect(ranking[0].importance).toBeGreaterThan(0.8);
    expect(ranking.reduce((s, r) => s + r.importance, 0)).toBeCloseTo(1, 9);
  });

  it('orders two relevant parameters by the size of their effect', () => {
    const trials = study(space, 200, 2, (p) => 10 * (p.a as number) + (p.c as number) / 10);
    const ranking = parameterImportance(space, trials, { seed: 2, nTrees: 16 });
    expect(ranking.map((r) => r.param).slice(0, 2)).toEqual(['a', 'c']);
  });

  it('handles a conditional parameter: one that only matters where active ranks above the noise', () => {
    const cond = validateSpace({
      opt: { type: 'categorical', choices: ['adam', 'sgd'] },
      momentum: { type: 'float', low: 0, high: 1, when: { param: 'opt', equals: ['sgd'] } },
      junk: { type: 'float', low: 0, high: 1 },
    });
    const trials = study(cond, 200, 3, (p) => (p.opt === 'sgd' ? 5 * (p.momentum as number) : 2.5));
    const ranking = parameterImportance(cond, trials, { seed: 3, nTrees: 16 });
    expect(ranking[ranking.length - 1].param).toBe('junk');
    expect(ranking.find((r) => r.param === 'momentum')!.importance).toBeGreaterThan(0.3);
  });

  it('is deterministic for a seed', () => {
    const trials = study(space, 80, 4, (p) => (p.a as number) + (p.c as number));
    expect(parameterImportance(space, trials, { seed: 5, nTrees: 8 })).toEqual(parameterImportance(space, trials, { seed: 5, nTrees: 8 }));
  });

  it('gives zeros rather than failing when nothing can be learned', () => {
    expect(parameterImportance(space, []).every((r) => r.importance === 0)).toBe(true);
    const flat = study(space, 30, 5, () => 1);
    expect(parameterImportance(space, flat).every((r) => r.importance === 0)).toBe(true);
  });
});
