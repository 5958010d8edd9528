/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011), built as Optuna 3.1's and with its
 * settings: 10 random startup trials, the best gamma(n) = min(ceil(0.1 n), 25) trials form l(x)
 * and the rest g(x), kernels of trials older than the 25 most recent faded, prior weight 1, magic
 * clip, and 24 candidates drawn from l(x) of which the one maximising log l(x) - log g(x) wins.
 * `npm run bench -- parzen-fidelity` checks the estimator against Optuna's own `_ParzenEstimator`
 * on the same inputs: log densities agree to 5e-6 and bandwidths to 5e-16, tied values (repeated
 * ints, steps) included, since their bandwidths are handed out in numpy's argsort order as in
 * Optuna (see order.ts). `npm run bench -- tpe-fidelity` checks whole proposals: 2,000 from each
 * side given the same history, per parameter. Before ties followed numpy's order, an int parameter
 * with repeated values was proposed differently (the mixed space's `units` at 80 trials: mostly 12
 * where Optuna proposes mostly 11, KS p < 1e-90); no other parameter differs (all KS p > 0.001).
 *
 * What was tried on the six functions of bench/hpo.ts (median best at 100 trials against Optuna
 * 3.1 on the same seeds, 95% bootstrap interval of the gap), tuning seeds only:
 * - former defaults, every trial weighing the same in g(x) and prior weight 0.5: on seeds
 *   1000..1059 and 2000..2059 together (120), worse beyond the spread on Rastrigin 10-D (83.3 vs
 *   77.5), better on Ackley 5-D (7.57 vs 8.69); Optuna's settings tie on all six (Rastrigin 78.9,
 *   Ackley 8.09), so they are the defaults again. Equal weights with prior 1: Rastrigin worse (83.2),
 *   Ackley and the mixed space better (7.52, 0.019 vs 0.048); faded weights with prior 0.5: ties.
 * - earlier, on seeds 1000..1059: prior 2 (Rastrigin worse), 48 or 96 EI candidates (no consistent
 *   gain, 96 is 4x the cost), gamma 0.05, 0.07 or 0.15 of n or sqrt(n) (worse on two to four
 *   functions, or tied with worse medians), the multivariate joint kernel with Optuna's bandwidth
 *   (worse on Branin, Rastrigin, the mixed space).
 * - Optuna's consider_endpoints: alone, worse on Rastrigin on seeds 2000..2059 (85.5 vs 76.9); with
 *   Optuna's settings, worse on Rastrigin over the 120 seeds (81.9 vs 77.5).
 * - the multivariate kernel with a per-dimension Scott bandwidth (1.059 min(std, IQR/1.34)
 *   n^(-1/(d+4))), with or without a 0.03 floor (Watanabe 2023): worse on Hartmann6, Rosenbrock
 *   and Rastrigin (seeds 1000..1059: -2.99 vs -3.10, 10002 vs 4316, 89.8 vs 78.4).
 * - magic clip exponent 2 (narrower kernels): better on Branin, much worse on the five others.
 * - l(x)'s kernels weighed by the trial's improvement below the split (Watanabe's EI weighting):
 *   with equal weights, worse on Rastrigin on seeds 2000..2059 (89.2 vs 76.9); with Optuna's
 *   settings, ties on all six over the 120 seeds but no better than without it (Rastrigin 80.5).
 * Group decomposition changes nothing on these spaces (none is conditional) and was not measured.
 * Tables: bench/RESULTS.md (hpo).
 *
 * - univariate: one estimator pair per parameter, as in the paper;
 * - multivariate: one joint estimator pair over the parameters that are always active, so
 *   correlated parameters are modelled together; conditional ones are then drawn univariately.
 * - constant liar: trials in flight count as observations with the worst value, so l(x) moves away
 *   from them and parallel workers spread out; a proposal equal to a trial in flight is redrawn.
 *
 * Cost per proposal is one sort of the scores plus O(candidates x kernels) per parameter, on typed
 * arrays; `maxObservations` caps the kernels of g(x) to the most recent trials for very long studies.
 */
import { Rng } from '../rng';
import { isActive, type ParamSpec, type ValidSpace } from '../space';
import type { Assignment, Direction, Sampler, TrialView } from '../types';
import { codecFor, type Codec } from './codec';
import { distinctFromInFlight } from './distinct';
import { ParzenEstimator } from './parzen';
import { randomAssignment } from './random';

export interface TpeOptions {
  direction: Direction;
  seed: number;
  multivariate?: boolean;
  nStartupTrials?: number;
  nEiCandidates?: number;
  constantLiar?: boolean;
  priorWeight?: number;
  /** Fade the kernels of old trials as Optuna 3.1 does (the default); false weighs every trial the same. */
  ageDecay?: boolean;
  /** How many trials form l(x) out of n scored ones. */
  gamma?: (n: number) => number;
  /** At most this many (most recent) trials form g(x). */
  maxObservations?: number;
}

/** Redraws from TPE itself before falling back to uniform draws, when a proposal is already in flight. */
const TPE_REDRAWS = 8;

export const defaultGamma = (n: number): number => Math.min(Math.ceil(0.1 * n), 25);

/** The scored trials, split into the good (below) and the rest (above), each in chronological order. */
interface Split {
  readonly below: readonly TrialView[];
  readonly above: readonly TrialView[];
  /** Finished trials that carry a score (running ones excluded). */
  readonly n: number;
}

export class TpeSampler implements Sampler {
  readonly name: string;
  private readonly codecs: ReadonlyMap<string, Codec>;
  private readonly joint: readonly ParamSpec[];
  private readonly o: Required<Omit<TpeOptions, 'gamma'>> & { gamma: (n: number) => number };

  constructor(
    private readonly space: ValidSpace,
    options: TpeOptions,
  ) {
    this.o = {
      multivariate: false,
      nStartupTrials: 10,
      nEiCandidates: 24,
      constantLiar: true,
      priorWeight: 1,
      ageDecay: true,
      gamma: defaultGamma,
      maxObservations: 2000,
      ...options,
    };
    this.name = this.o.multivariate ? 'tpe-multivariate' : 'tpe';
    this.codecs = new Map(space.params.map((p) => [p.name, codecFor(p)]));
    this.joint = this.o.multivariate ? space.params.filter((p) => !p.parent) : [];
  }

  propose(trials: readonly TrialView[]): Assignment {
    const split = this.split(trials);
    const number = trials.length;
    if (split.n < this.o.nStartupTrials) {
      return distinctFromInFlight(trials, (attempt) => randomAssignment(this.space, new Rng(this.o.seed, number, attempt)));
    }
    // When TPE's favourite points are all being evaluated already (a small discrete space), the
    // rest of the redraws are uniform, so a free point is still found.
    return distinctFromInFlight(trials, (attempt) =>
      attempt < TPE_REDRAWS
        ? this.draw(split, new Rng(this.o.seed, number, attempt))
        : randomAssignment(this.space, new Rng(this.o.seed, number, attempt)),
    );
  }

  private draw(split: Split, rng: Rng): Assignment {
    const out: Assignment = {};
    if (this.joint.length > 0) Object.assign(out, this.sampleGroup(this.joint, split, rng));
    for (const p of this.space.params) {
      if (p.name in out || !isActive(p, out)) continue;
      Object.assign(out, this.sampleGroup([p], split, rng));
    }
    return out;
  }

  /** The best of nEiCandidates draws from l(x), scored by log l(x) - log g(x), for a group of parameters. */
  private sampleGroup(group: readonly ParamSpec[], split: Split, rng: Rng): Assignment {
    const codecs = group.map((p) => this.codecs.get(p.name)!);
    const settings = { priorWeight: this.o.priorWeight, multivariate: group === this.joint, ageDecay: this.o.ageDecay };
    const below = new ParzenEstimator(codecs, this.observations(group, codecs, split.below), settings);
    const above = new ParzenEstimator(codecs, this.observations(group, codecs, split.above), settings);
    const count = this.o.nEiCandidates;
    const candidates = below.sample(rng, count);
    const lBelow = below.logScore(candidates, count);
    const lAbove = above.logScore(candidates, count);
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < count; c++) {
      const score = lBelow[c] - lAbove[c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    const out: Assignment = {};
    group.forEach((p, d) => (out[p.name] = codecs[d].decode(candidates[d][best])));
    return out;
  }

  /** The group's values in the trials that have all of the group's parameters, on the internal scale. */
  private observations(group: readonly ParamSpec[], codecs: readonly Codec[], trials: readonly TrialView[]): Float64Array[] {
    const cols = group.map(() => new Float64Array(trials.length));
    let m = 0;
    for (const t of trials) {
      let usable = true;
      for (let d = 0; d < group.length && usable; d++) {
        const v = t.params[group[d].name];
        // Absent (inactive), or a value the space no longer has (a warm start from an older space): skip the trial.
        const x = v === undefined ? NaN : codecs[d].encode(v);
        const c = codecs[d];
        usable = c.kind === 'categorical' ? x >= 0 : x >= c.low && x <= c.high;
        cols[d][m] = x;
      }
      if (usable) m++;
    }
    return cols.map((c) => c.subarray(0, m));
  }

  /**
   * Ranks trials as Optuna does: completed ones by value; pruned ones after them, those that got
   * further first, then by their last value; trials in flight last of all (the constant liar).
   */
  private split(trials: readonly TrialView[]): Split {
    const sign = this.o.direction === 'maximize' ? -1 : 1;
    const scored: TrialView[] = [];
    const rank: number[] = [];
    const value: number[] = [];
    let n = 0;
    for (const t of trials) {
      let r: number;
      let v: number;
      if (t.status === 'completed') {
        if (typeof t.value !== 'number' || Number.isNaN(t.value)) continue;
        r = -Infinity;
        v = sign * t.value;
      } else if (t.status === 'pruned') {
        const last = t.intermediate && t.intermediate.length > 0 ? t.intermediate[t.intermediate.length - 1] : undefined;
        r = last ? -last.step : 1;
        v = last ? (Number.isNaN(last.value) ? Infinity : sign * last.value) : 0;
      } else if (t.status === 'running' && this.o.constantLiar) {
        r = Infinity;
        v = 0;
      } else continue;
      if (t.status !== 'running') n++;
      scored.push(t);
      rank.push(r);
      value.push(v);
    }
    // Only the best gamma(n) <= 25 are needed in order: a bounded selection, not a sort of everything.
    const nBelow = Math.min(this.o.gamma(n), n);
    const worse = (a: number, b: number): boolean =>
      rank[a] !== rank[b] ? rank[a] > rank[b] : value[a] !== value[b] ? value[a] > value[b] : a > b;
    const isBelow = new Uint8Array(scored.length);
    for (const i of selectBest(scored.length, nBelow, worse)) isBelow[i] = 1;
    const below: TrialView[] = [];
    let above: TrialView[] = [];
    for (let i = 0; i < scored.length; i++) (isBelow[i] ? below : above).push(scored[i]);
    const chronological = (a: TrialView, b: TrialView): number => a.number - b.number;
    below.sort(chronological);
    if (!isSortedByNumber(above)) above.sort(chronological);
    if (above.length > this.o.maxObservations) above = above.slice(above.length - this.o.maxObservations);
    return { below, above, n };
  }
}

/** Indices of the `count` best of 0..n-1: a heap of the best so far with its worst on top. */
function selectBest(n: number, count: number, worse: (a: number, b: number) => boolean): number[] {
  const heap: number[] = [];
  const swap = (i: number, j: number): void => {
    const t = heap[i];
    heap[i] = heap[j];
    heap[j] = t;
  };
  for (let i = 0; i < n && count > 0; i++) {
    if (heap.length < count) {
      heap.push(i);
      for (let c = heap.length - 1; c > 0; ) {
        const parent = (c - 1) >> 1;
        if (!worse(heap[c], heap[parent])) break;
        swap(c, parent);
        c = parent;
      }
    } else if (worse(heap[0], i)) {
      heap[0] = i;
      for (let c = 0; ; ) {
        const l = 2 * c + 1;
        let top = c;
        if (l < heap.length && worse(heap[l], heap[top])) top = l;
        if (l + 1 < heap.length && worse(heap[l + 1], heap[top])) top = l + 1;
        if (top === c) break;
        swap(c, top);
        c = top;
      }
    }
  }
  return heap;
}

function isSortedByNumber(trials: readonly TrialView[]): boolean {
  for (let i = 1; i < trials.length; i++) if (trials[i].number < trials[i - 1].number) return false;
  return true;
}
