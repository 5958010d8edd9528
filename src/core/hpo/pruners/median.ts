/**
 * The median stopping rule (Golovin et al. 2017, Optuna's MedianPruner): after the first
 * `nStartupTrials` trials complete and past `nWarmupSteps`, a trial stops when its best value so
 * far is worse than the median of the completed trials' values at the same step.
 */
import type { Direction, Pruner, TrialView } from '../types';
import { bestSoFar, isWorse, median, valueAt } from './curves';

export interface MedianOptions {
  direction: Direction;
  /** Completed trials needed before anything is pruned. */
  nStartupTrials?: number;
  /** Steps before which a trial is never pruned (its curve is still noisy). */
  nWarmupSteps?: number;
  /** Decide only every this many steps after the warm-up. */
  intervalSteps?: number;
  /** Completed trials that must have a value at the step for the median to count. */
  nMinTrials?: number;
}

export class MedianPruner implements Pruner {
  readonly name = 'median';
  private readonly o: Required<MedianOptions>;

  constructor(options: MedianOptions) {
    this.o = { nStartupTrials: 5, nWarmupSteps: 0, intervalSteps: 1, nMinTrials: 1, ...options };
  }

  shouldPrune(trial: TrialView, trials: readonly TrialView[]): boolean {
    const curve = trial.intermediate ?? [];
    if (curve.length === 0) return false;
    const step = curve[curve.length - 1].step;
    if (step < this.o.nWarmupSteps) return false;
    if ((step - this.o.nWarmupSteps) % this.o.intervalSteps !== 0) return false;
    const completed = trials.filter((t) => t.status === 'completed' && t.number !== trial.number);
    if (completed.length < this.o.nStartupTrials) return false;
    const best = bestSoFar(trial, this.o.direction);
    if (Number.isNaN(best)) return true; // only NaN so far: the trial has diverged
    const atStep: number[] = [];
    for (const t of completed) {
      const v = valueAt(t, step);
      if (v !== undefined && !Number.isNaN(v)) atStep.push(v);
    }
    if (atStep.length < this.o.nMinTrials) return false;
    return isWorse(best, median(atStep), this.o.direction);
  }
}
