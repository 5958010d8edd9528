/** The shapes the samplers and pruners read: a structural subset of the contract's Trial. */
import type { Direction, IntermediateValue, ParamValue, TrialStatus } from '../../shared/contract';

/** Parameter name → value, active parameters only. */
export type Assignment = Record<string, ParamValue>;

/** What a sampler or pruner needs to know about one trial of the study. */
export interface TrialView {
  /** Creation order: 0, 1, 2... Samplers derive their random stream from it. */
  readonly number: number;
  readonly status: TrialStatus;
  readonly params: Readonly<Assignment>;
  /** The final objective value of a completed trial. */
  readonly value?: number | null;
  /** Values reported during the trial, in increasing step order. */
  readonly intermediate?: readonly IntermediateValue[];
}

/**
 * Proposes the parameters of the next trial from the study's trials (every state; the running ones
 * are the trials in flight). Stateless: the same trials give the same proposal.
 */
export interface Sampler {
  readonly name: string;
  /** `null` when the sampler has nothing left to propose (an exhausted grid): the study completes. */
  propose(trials: readonly TrialView[]): Assignment | null;
}

/** Decides, after a running trial reports an intermediate value, whether it stops now. */
export interface Pruner {
  readonly name: string;
  shouldPrune(trial: TrialView, trials: readonly TrialView[]): boolean;
}

export type { Direction };
