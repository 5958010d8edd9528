import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../../shared/errors';
import {
  assignmentKey,
  branin,
  checkAssignment,
  createSampler,
  enumerateGrid,
  GridSampler,
  RandomSampler,
  Rng,
  TpeSampler,
  validateSpace,
  type Assignment,
  type Sampler,
  type TrialView,
  type ValidSpace,
} from '../index';

/** Every kind of parameter: log, step, int, log int, stepped int, categorical, and a chain of conditions. */
const rich = validateSpace({
  lr: { type: 'float', low: 1e-5, high: 1, log: true },
  dropout: { type: 'float', low: 0, high: 0.5, step: 0.05 },
  x: { type: 'float', low: -3, high: 3 },
  layers: { type: 'int', low: 1, high: 4 },
  units: { type: 'int', low: 8, high: 512, log: true },
  batch: { type: 'int', low: 16, high: 256, step: 16 },
  optimizer: { type: 'categorical', choices: ['adam', 'sgd', 'rmsprop'] },
  momentum: { type: 'float', low: 0, high: 0.99, when: { param: 'optimizer', equals: ['sgd'] } },
  nesterov: { type: 'categorical', choices: [true, false], when: { param: 'optimizer', equals: ['sgd'] } },
  dampening: { type: 'float', low: 0.1, high: 0.9, step: 0.2, when: { param: 'nesterov', equals: [false] } },
  beta2: { type: 'float', low: 0.9, high: 0.9999, when: { param: 'optimizer', equals: ['adam', 'rmsprop'] } },
  width: { type: 'int', low: 2, high: 64, step: 2, when: { param: 'layers', equals: [3, 4] } },
});

/** A made-up objective over the rich space, so TPE has something to model. */
function richObjective(p: Readonly<Assignment>): number {
  let v = (Math.log10(p.lr as number) + 3) ** 2 + ((p.x as number) - 1) ** 2 + (p.dropout as number) + (p.layers as number) * 0.1;
  v += Math.abs(Math.log2(p.units as number) - 6) + (p.batch as number) / 256;
  if (p.optimizer === 'sgd') v += 1 - (p.momentum as number) + (p.nesterov ? 0 : (p.dampening as number));
  else v += (1 - (p.beta2 as number)) * 100 + (p.optimizer === 'adam' ? 0 : 0.5);
  if (p.width !== undefined) v += Math.abs((p.width as number) - 32) / 32;
  return v;
}

/** Runs a sequential study of `n` trials, checking each proposal as it comes. */
function runStudy(sampler: Sampler, space: ValidSpace, n: number, objective: (p: Readonly<Assignment>) => number): TrialView[] {
  const trials: TrialView[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampler.propose(trials);
    if (params === null) break;
    checkAssignment(space, params);
    trials.push({ number: i, status: 'completed', params, value: objective(params) });
  }
  return trials;
}

const makers: [string, (space: ValidSpace, seed: number) => Sampler][] = [
  ['random', (space, seed) => new RandomSampler(space, seed)],
  ['tpe', (space, seed) => new TpeSampler(space, { direction: 'minimize', seed })],
  ['multivariate tpe', (space, seed) => new TpeSampler(space, { direction: 'minimize', seed, multivariate: true })],
];

describe.each(makers)('%s sampler', (_, make) => {
  it('proposes only valid points (bounds, log, step, int, choices, conditions) over many seeds', () => {
    const seen = { sgd: 0, nesterovFalse: 0, width: 0 };
    for (let seed = 0; seed < 30; seed++) {
      // checkAssignment inside runStudy throws on any out-of-range, off-grid, missing or inactive parameter.
      const trials = runStudy(make(rich, seed), rich, 25, richObjective);
      expect(trials).toHaveLength(25);
      for (const t of trials) {
        for (const name of ['layers', 'units', 'batch']) expect(Number.isInteger(t.params[name])).toBe(true);
        if (t.params.optimizer === 'sgd') seen.sgd++;
        if (t.params.nesterov === false) seen.nesterovFalse++;
        if (t.params.width !== undefined) seen.width++;
      }
    }
    // The conditional branches were actually exercised.
    expect(seen.sgd).toBeGreaterThan(0);
    expect(seen.nesterovFalse).toBeGreaterThan(0);
    expect(seen.width).toBeGreaterThan(0);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = runStudy(make(rich, 7), rich, 20, richObjective).map((t) => assignmentKey(t.params));
    const b = runStudy(make(rich, 7), rich, 20, richObjective).map((t) => assignmentKey(t.params));
    const c = runStudy(make(rich, 8), rich, 20, richObjective).map((t) => assignmentKey(t.params));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('reaches every value of small int and stepped parameters, ends included', () => {
    const small = validateSpace({ n: { type: 'int', low: 1, high: 3 }, lr: { type: 'float', low: 0.01, high: 1, step: 0.33 } });
    const values = new Set<string>();
    for (let seed = 0; seed < 10; seed++) for (const t of runStudy(make(small, seed), small, 20, () => 0)) values.add(`${t.params.n}/${t.params.lr}`);
    for (const n of [1, 2, 3]) for (const lr of [0.01, 0.34, 0.67, 1]) expect(values).toContain(`${n}/${lr}`);
  });
});

describe('TPE', () => {
  it('finds better Branin values than random search over several seeds', () => {
    const space = validateSpace(branin.space);
    const best = (s: Sampler): number => Math.min(...runStudy(s, space, 60, branin.evaluate).map((t) => t.value as number));
    const seeds = [0, 1, 2, 3, 4, 5, 6, 7];
    const tpe = seeds.map((seed) => best(new TpeSampler(space, { direction: 'minimize', seed })));
    const random = seeds.map((seed) => best(new RandomSampler(space, seed)));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    expect(mean(tpe)).toBeLessThan(mean(random));
    expect(tpe.filter((v, i) => v < random[i]).length).toBeGreaterThanOrEqual(5);
  });

  it('maximises when told to: the same study negated converges to the same region', () => {
    const space = validateSpace(branin.space);
    const up = runStudy(new TpeSampler(space, { direction: 'maximize', seed: 3 }), space, 60, (p) => -branin.evaluate(p));
    const down = runStudy(new TpeSampler(space, { direction: 'minimize', seed: 3 }), space, 60, branin.evaluate);
    expect(up.map((t) => assignmentKey(t.params))).toEqual(down.map((t) => assignmentKey(t.params)));
  });

  it('with N trials in flight, hands out N distinct points, on a continuous and on a small discrete space', () => {
    const spaces = [
      validateSpace(branin.space),
      validateSpace({ a: { type: 'int', low: 0, high: 3 }, b: { type: 'categorical', choices: ['x', 'y', 'z'] } }),
    ];
    for (const space of spaces) {
      for (let seed = 0; seed < 10; seed++) {
        for (const multivariate of [false, true]) {
          const sampler = new TpeSampler(space, { direction: 'minimize', seed, multivariate });
          const rng = new Rng(seed);
          const trials: TrialView[] = runStudy(new RandomSampler(space, seed + 100), space, 15, () => rng.next());
          const inFlight = 8;
          for (let i = 0; i < inFlight; i++) trials.push({ number: trials.length, status: 'running', params: sampler.propose(trials) });
          const keys = trials.filter((t) => t.status === 'running').map((t) => assignmentKey(t.params));
          expect(new Set(keys).size).toBe(inFlight);
        }
      }
    }
  });

  it('counts trials in flight (constant liar): proposals move away from a point already being evaluated', () => {
    const space = validateSpace({ x: { type: 'float', low: 0, high: 1 } });
    // 30 finished trials whose best values crowd around 0.5.
    const trials: TrialView[] = Array.from({ length: 30 }, (_, i) => {
      const x = i / 29;
      return { number: i, status: 'completed', params: { x }, value: Math.abs(x - 0.5) };
    });
    const distanceToCentre = (liar: boolean): number => {
      let total = 0;
      for (let seed = 0; seed < 20; seed++) {
        const t = [...trials, ...Array.from({ length: 6 }, (_, i): TrialView => ({ number: 30 + i, status: 'running', params: { x: 0.5 + (i - 3) * 0.004 } }))];
        const p = new TpeSampler(space, { direction: 'minimize', seed, constantLiar: liar }).propose(t);
        total += Math.abs((p.x as number) - 0.5);
      }
      return total;
    };
    expect(distanceToCentre(true)).toBeGreaterThan(distanceToCentre(false));
  });

  it('skips trials whose values the space no longer has (a warm start from an older space)', () => {
    const space = validateSpace({ x: { type: 'float', low: 0, high: 1 }, act: { type: 'categorical', choices: ['relu', 'tanh'] } });
    const trials: TrialView[] = Array.from({ length: 20 }, (_, i) => ({
      number: i,
      status: 'completed',
      params: i % 2 ? { x: i / 20, act: 'relu' } : { x: 5 + i, act: 'gelu' },
      value: i,
    }));
    for (const multivariate of [false, true]) {
      for (let seed = 0; seed < 10; seed++) checkAssignment(space, new TpeSampler(space, { direction: 'minimize', seed, multivariate }).propose(trials));
    }
  });

  it("uses Optuna 3.1's settings by default: old trials faded in g(x), prior weight 1", () => {
    const space = validateSpace(branin.space);
    // Past 25 observations the fading changes g(x), so the defaults' proposals show which weights they use.
    const trials: TrialView[] = [];
    const filler = new RandomSampler(space, 3);
    for (let i = 0; i < 60; i++) {
      const params = filler.propose(trials);
      trials.push({ number: i, status: 'completed', params, value: branin.evaluate(params) });
    }
    const proposals = (options: object): string[] =>
      Array.from({ length: 20 }, (_, seed) => assignmentKey(new TpeSampler(space, { direction: 'minimize', seed, ...options }).propose(trials)));
    const defaults = proposals({});
    expect(defaults).toEqual(proposals({ ageDecay: true, priorWeight: 1 }));
    expect(defaults).not.toEqual(proposals({ ageDecay: false, priorWeight: 1 }));
    expect(defaults).not.toEqual(proposals({ ageDecay: true, priorWeight: 0.5 }));
  });

  it("proposes what Optuna 3.1 proposes from a history of repeated ints (ties ordered as numpy's argsort)", () => {
    // [units, value] of 80 trials. From this history Optuna's TPESampler (seeds 0..399) proposes 11
    // 377 times, 10 20 times and 12 3 times; with tied values ordered chronologically Trainyard proposed 12 almost always.
    const history = [
      [3, 42.3069], [0, 11.0066], [13, 2.7748], [13, 5.8237], [17, 3.6569], [9, 8.1924], [13, 7.9459], [17, 13.112], [3, 6.549],
      [14, 3.03], [20, 18.5975], [11, 1.3259], [8, 2.0492], [8, 5.8001], [7, 5.5575], [5, 4.4201], [10, 3.6298], [6, 18.9586],
      [11, 4.5502], [16, 4.366], [11, 1.2357], [11, 0.9941], [12, 0.9644], [15, 7.2923], [11, 1.0951], [12, 0.9688], [18, 7.5924],
      [14, 0.9943], [12, 1.5167], [10, 16.7859], [4, 29.0933], [15, 1.0829], [14, 0.9103], [12, 1.7641], [1, 12.0182], [9, 3.9545],
      [14, 7.2296], [13, 2.0328], [12, 1.7846], [18, 2.7652], [9, 4.9263], [14, 0.8608], [15, 0.7975], [16, 1.0568], [16, 4.0208],
      [13, 1.3397], [15, 0.7875], [18, 2.0365], [15, 0.5313], [20, 6.739], [17, 2.2648], [15, 0.2797], [15, 0.2057], [15, 0.4007],
      [15, 0.4589], [19, 2.2823], [17, 0.8161], [16, 1.9438], [15, 0.4638], [19, 2.045], [15, 0.7503], [16, 1.0992], [15, 1.9337],
      [17, 1.0651], [13, 3.1057], [15, 1.1473], [14, 0.7805], [16, 0.5043], [19, 2.2529], [17, 1.4797], [16, 2.0882], [15, 0.261],
      [14, 0.1212], [13, 0.0724], [13, 0.1363], [13, 0.2324], [13, 0.2239], [13, 0.2209], [13, 0.1983], [13, 0.29],
    ];
    const space = validateSpace({ units: { type: 'int', low: 0, high: 20 } });
    const trials: TrialView[] = history.map(([units, value], i) => ({ number: i, status: 'completed', params: { units }, value }));
    const counts = new Map<number, number>();
    for (let seed = 0; seed < 400; seed++) {
      const units = new TpeSampler(space, { direction: 'minimize', seed }).propose(trials).units as number;
      counts.set(units, (counts.get(units) ?? 0) + 1);
    }
    expect(counts.get(11) ?? 0).toBeGreaterThan(300);
    expect(counts.get(12) ?? 0).toBeLessThan(40);
  });

  it('ignores failed trials when modelling', () => {
    const space = validateSpace({ x: { type: 'float', low: 0, high: 1 } });
    const trials: TrialView[] = Array.from({ length: 20 }, (_, i) => ({ number: i, status: 'completed', params: { x: i / 19 }, value: i / 19 }));
    const failed: TrialView[] = Array.from({ length: 20 }, (_, i) => ({ number: 20 + i, status: 'failed', params: { x: 0.99 } }));
    const a = new TpeSampler(space, { direction: 'minimize', seed: 1 }).propose(trials);
    const b = new TpeSampler(space, { direction: 'minimize', seed: 1 }).propose([...trials, ...failed]);
    // Failed trials change the trial number (hence the random stream) but not the model: still near the good end.
    expect(a.x as number).toBeLessThan(0.5);
    expect(b.x as number).toBeLessThan(0.5);
  });
});

describe('grid sampler', () => {
  const space = validateSpace({
    optimizer: { type: 'categorical', choices: ['adam', 'sgd'] },
    momentum: { type: 'float', low: 0, high: 0.9, step: 0.3, when: { param: 'optimizer', equals: ['sgd'] } },
    layers: { type: 'int', low: 1, high: 3 },
    residual: { type: 'categorical', choices: [true, false], when: { param: 'layers', equals: [3] } },
  });

  /** The oracle: the full product of every parameter's values, projected onto the active ones, deduplicated. */
  function expectedCombinations(): Set<string> {
    const values: Record<string, unknown[]> = {
      optimizer: ['adam', 'sgd'],
      momentum: [0, 0.3, 0.6, 0.9],
      layers: [1, 2, 3],
      residual: [true, false],
    };
    const out = new Set<string>();
    for (const optimizer of values.optimizer)
      for (const momentum of values.momentum)
        for (const layers of values.layers)
          for (const residual of values.residual) {
            const p: Assignment = { optimizer: optimizer as string, layers: layers as number };
            if (optimizer === 'sgd') p.momentum = momentum as number;
            if (layers === 3) p.residual = residual as boolean;
            out.add(assignmentKey(p));
          }
    return out;
  }

  it('enumerates every combination exactly once, then reports exhaustion', () => {
    const expected = expectedCombinations();
    for (const seed of [0, 1, 2]) {
      const sampler = new GridSampler(space, { seed });
      const trials = runStudy(sampler, space, 1000, () => 0);
      const keys = trials.map((t) => assignmentKey(t.params));
      expect(keys).toHaveLength(expected.size);
      expect(new Set(keys)).toEqual(expected);
      expect(sampler.propose(trials)).toBeNull();
    }
  });

  it('counts trials in flight and failed ones as taken, so parallel workers never share a point', () => {
    const sampler = new GridSampler(space);
    const trials: TrialView[] = [];
    for (let i = 0; i < 5; i++) trials.push({ number: i, status: i === 2 ? 'failed' : 'running', params: sampler.propose(trials)! });
    expect(new Set(trials.map((t) => assignmentKey(t.params))).size).toBe(5);
  });

  it('takes explicit values for a float without a step, and refuses such a float without them', () => {
    const s = validateSpace({ lr: { type: 'float', low: 1e-4, high: 1, log: true }, n: { type: 'int', low: 1, high: 2 } });
    expect(() => new GridSampler(s)).toThrow(InvalidInput);
    expect(() => new GridSampler(s)).toThrow(/sampler.values.lr: a float parameter needs a step or explicit values/);
    expect(enumerateGrid(s, { values: { lr: [0.001, 0.01] } })).toHaveLength(4);
    expect(() => enumerateGrid(s, { values: { lr: [5] } })).toThrow(/sampler.values.lr: 5 is not in the parameter's range/);
  });
});

describe('createSampler', () => {
  it('builds each sampler from a spec and refuses a bad one by field', () => {
    expect(createSampler({ type: 'random' }, rich, 'minimize', 1).name).toBe('random');
    expect(createSampler({ type: 'tpe', multivariate: true }, rich, 'minimize', 1).name).toBe('tpe-multivariate');
    expect(() => createSampler({ type: 'tpe', nEiCandidates: 0 }, rich, 'minimize', 1)).toThrow(/sampler.nEiCandidates/);
    expect(() => createSampler({ type: 'grid' }, rich, 'minimize', 1)).toThrow(/sampler.values.lr/);
  });
});
