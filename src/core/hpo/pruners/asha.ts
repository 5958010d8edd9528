/**
 * Asynchronous successive halving (Li et al. 2020, "ASHA"; Optuna's SuccessiveHalvingPruner) and
 * hyperband over it (Li et al. 2018; Optuna's HyperbandPruner).
 *
 * Rung k sits at step minResource * reductionFactor^(minEarlyStoppingRate + k). A trial reaching a
 * rung continues only if its value there is in the top 1/reductionFactor of every trial that has
 * reached the rung so far (itself included); with fewer than reductionFactor of them, only if it is
 * the best. Decisions are taken when a rung is first reached, never revisited: the pruner is a pure
 * function of the trials' curves, so it needs no state of its own and survives a restart.
 */
import type { Direction, Pruner, TrialView } from '../types';
import { mix32 } from '../rng';
import { firstValueFrom } from './curves';

export interface AshaOptions {
  direction: Direction;
  /** Steps every trial gets before the first rung. */
  minResource?: number;
  reductionFactor?: number;
  /** Shifts the first rung up by this many powers of the reduction factor (hyperband's bracket). */
  minEarlyStoppingRate?: number;
}

export class AshaPruner implements Pruner {
  readonly name: string = 'asha';
  protected readonly o: Required<AshaOptions>;

  constructor(options: AshaOptions) {
    this.o = { minResource: 1, reductionFactor: 4, minEarlyStoppingRate: 0, ...options };
  }

  /** The step of rung k. */
  rungStep(k: number): number {
    return this.o.minResource * this.o.reductionFactor ** (this.o.minEarlyStoppingRate + k);
  }

  shouldPrune(trial: TrialView, trials: readonly TrialView[]): boolean {
    const curve = trial.intermediate ?? [];
    if (curve.length === 0) return false;
    const { step, value } = curve[curve.length - 1];
    const previous = curve.length > 1 ? curve[curve.length - 2].step : -Infinity;
    const peers = this.competitors(trial, trials);
    for (let k = 0; this.rungStep(k) <= step; k++) {
      const rung = this.rungStep(k);
      if (rung <= previous) continue; // decided when the trial first reached it
      if (Number.isNaN(value)) return true;
      const competing = [value];
      for (const t of peers) {
        const v = firstValueFrom(t, rung);
        if (v !== undefined && !Number.isNaN(v)) competing.push(v);
      }
      if (!this.promotable(value, competing)) return true;
    }
    return false;
  }

  /** The trials the trial competes with (all others; a hyperband bracket narrows this). */
  protected competitors(trial: TrialView, trials: readonly TrialView[]): TrialView[] {
    return trials.filter((t) => t.number !== trial.number);
  }

  private promotable(value: number, competing: number[]): boolean {
    const eta = this.o.reductionFactor;
    const kept = Math.max(1, Math.floor(competing.length / eta));
    competing.sort((a, b) => a - b);
    return this.o.direction === 'minimize' ? value <= competing[kept - 1] : value >= competing[competing.length - kept];
  }
}

export interface HyperbandOptions {
  direction: Direction;
  minResource?: number;
  maxResource: number;
  reductionFactor?: number;
  /** Mixes into the bracket assignment, so two studies do not share their bracket pattern. */
  seed?: number;
}

/**
 * Several ASHA brackets, from aggressive (first rung at minResource) to none at all; each trial is
 * assigned to one by a hash of its number, with Optuna's budget per bracket, and competes only
 * with the trials of its bracket.
 */
export class HyperbandPruner implements Pruner {
  readonly name = 'hyperband';
  private readonly brackets: BracketPruner[];
  private readonly budgets: number[];
  private readonly total: number;
  private readonly seed: number;

  constructor(options: HyperbandOptions) {
    const minResource = options.minResource ?? 1;
    const eta = options.reductionFactor ?? 3;
    const count = Math.floor(Math.log(options.maxResource / minResource) / Math.log(eta) + 1e-9) + 1;
    this.seed = options.seed ?? 0;
    this.budgets = Array.from({ length: count }, (_, i) => {
      const s = count - 1 - i;
      return Math.ceil((count * eta ** s) / (s + 1));
    });
    this.total = this.budgets.reduce((a, b) => a + b, 0);
    this.brackets = this.budgets.map(
      (_, i) => new BracketPruner({ direction: options.direction, minResource, reductionFactor: eta, minEarlyStoppingRate: i }, i, this),
    );
  }

  get bracketCount(): number {
    return this.brackets.length;
  }

  /** The bracket of a trial: deterministic, brackets drawn in proportion to their budgets. */
  bracketOf(trialNumber: number): number {
    let h = mix32(mix32(this.seed) ^ trialNumber) % this.total;
    for (let i = 0; i < this.budgets.length; i++) {
      if (h < this.budgets[i]) return i;
      h -= this.budgets[i];
    }
    return this.budgets.length - 1;
  }

  shouldPrune(trial: TrialView, trials: readonly TrialView[]): boolean {
    return this.brackets[this.bracketOf(trial.number)].shouldPrune(trial, trials);
  }
}

class BracketPruner extends AshaPruner {
  override readonly name = 'hyperband-bracket';
  constructor(
    options: AshaOptions,
    private readonly bracket: number,
    private readonly hyperband: HyperbandPruner,
  ) {
    super(options);
  }

  protected override competitors(trial: TrialView, trials: readonly TrialView[]): TrialView[] {
    return trials.filter((t) => t.number !== trial.number && this.hyperband.bracketOf(t.number) === this.bracket);
  }
}
