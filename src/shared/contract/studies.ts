/**
 * Hyperparameter optimisation studies. The search-space vocabulary is shared by the model families
 * (each offers a default space) and the samplers.
 */
import { z } from 'zod';
import { JobResources } from './jobs';
import { ParamValue } from './vocabulary';

/** One parameter's distribution. `when` makes it conditional: it exists only under a parent's value. */
const Condition = z.object({ param: z.string().min(1), equals: z.array(ParamValue).min(1) });
export const FloatParam = z.object({
  type: z.literal('float'),
  low: z.number(),
  high: z.number(),
  log: z.boolean().default(false),
  step: z.number().positive().optional(),
  when: Condition.optional(),
});
export const IntParam = z.object({
  type: z.literal('int'),
  low: z.number().int(),
  high: z.number().int(),
  log: z.boolean().default(false),
  step: z.number().int().positive().default(1),
  when: Condition.optional(),
});
export const CategoricalParam = z.object({
  type: z.literal('categorical'),
  choices: z.array(ParamValue),
  when: Condition.optional(),
});
export const ParamDistribution = z.discriminatedUnion('type', [FloatParam, IntParam, CategoricalParam]);
export type ParamDistribution = z.infer<typeof ParamDistribution>;
export type ParamDistributionInput = z.input<typeof ParamDistribution>;

/** Parameter name → distribution. Validated further by core/hpo (low <= high, log needs low > 0...). */
export const SearchSpace = z.record(z.string().min(1), ParamDistribution);
export type SearchSpace = z.infer<typeof SearchSpace>;
export type SearchSpaceInput = z.input<typeof SearchSpace>;

/** Whether a study's objective is to be made small (a loss) or large (an accuracy). */
export const Direction = z.enum(['minimize', 'maximize']);
export type Direction = z.infer<typeof Direction>;

/**
 * A study optimises one metric of its trials' runs (for example `val.rmse`) in one direction. The
 * metric must be one the model family reports, measured on the validation split: the test split is
 * reported, never optimised (see `allowTestObjective`).
 */
export const StudyObjective = z.object({ metric: z.string().min(1), direction: Direction });
export type StudyObjective = z.infer<typeof StudyObjective>;

/** Where a run metric is measured: a study selects on validation; test is what the chosen model reports. */
export const MetricSplit = z.enum(['train', 'validation', 'test']);
export type MetricSplit = z.infer<typeof MetricSplit>;

/** A metric key a model family's runs may record, the way it gets better, and where it is measured. */
export const MetricKey = z.object({
  key: z.string().min(1),
  direction: Direction,
  split: MetricSplit,
  /** Reported once per epoch (what a pruner can read), rather than once for the finished run. */
  perEpoch: z.boolean(),
});
export type MetricKey = z.infer<typeof MetricKey>;

/**
 * How the next trial's parameters are chosen. `constantLiar` counts trials in flight as if they had
 * the worst value seen, so parallel workers spread out instead of proposing the same point.
 */
export const SamplerSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('random') }),
  z.object({
    type: z.literal('grid'),
    /** Explicit values per parameter; floats without a step need one here. */
    values: z.record(z.string().min(1), z.array(ParamValue).min(1)).optional(),
  }),
  z.object({
    type: z.literal('tpe'),
    multivariate: z.boolean().default(false),
    nStartupTrials: z.number().int().min(0).max(10_000).default(10),
    nEiCandidates: z.number().int().min(1).max(10_000).default(24),
    constantLiar: z.boolean().default(true),
  }),
]);
export type SamplerSpec = z.infer<typeof SamplerSpec>;
export type SamplerSpecInput = z.input<typeof SamplerSpec>;

/** When a trial is stopped early on its intermediate values (per-epoch validation metric). */
export const PrunerSpec = z.discriminatedUnion('type', [
  z.object({ type: z.literal('none') }),
  z.object({
    type: z.literal('median'),
    nStartupTrials: z.number().int().min(0).default(5),
    nWarmupSteps: z.number().int().min(0).default(0),
    intervalSteps: z.number().int().min(1).default(1),
    nMinTrials: z.number().int().min(1).default(1),
  }),
  z.object({
    type: z.literal('asha'),
    minResource: z.number().int().min(1).default(1),
    reductionFactor: z.number().int().min(2).default(4),
    minEarlyStoppingRate: z.number().int().min(0).default(0),
  }),
  z.object({
    type: z.literal('hyperband'),
    minResource: z.number().int().min(1).default(1),
    maxResource: z.number().int().min(1),
    reductionFactor: z.number().int().min(2).default(3),
  }),
]);
export type PrunerSpec = z.infer<typeof PrunerSpec>;
export type PrunerSpecInput = z.input<typeof PrunerSpec>;

/** A study stops at whichever budget runs out first; at least one is required. */
export const StudyBudget = z
  .object({
    trials: z.number().int().min(1).max(1_000_000).optional(),
    seconds: z.number().positive().optional(),
  })
  .refine((b) => b.trials !== undefined || b.seconds !== undefined, { message: 'Give a trial count, a time, or both' });
export type StudyBudget = z.infer<typeof StudyBudget>;

export const StudySpec = z.object({
  name: z.string().min(1).max(200),
  objective: StudyObjective,
  space: SearchSpace,
  sampler: SamplerSpec.prefault({ type: 'tpe' }),
  pruner: PrunerSpec.prefault({ type: 'none' }),
  budget: StudyBudget,
  /** Trials in flight at once. */
  parallelism: z.number().int().min(1).max(256).default(1),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  /**
   * Let the objective be a test-split metric. Selecting on test makes the test score optimistic:
   * refused unless set, and a study that sets it carries a warning wherever it is shown.
   */
  allowTestObjective: z.boolean().default(false),
  /** What each trial's job needs (GPUs: parallel trials are pinned to distinct ones); the queue's defaults where left out. */
  resources: JobResources.partial().optional(),
});
export type StudySpec = z.infer<typeof StudySpec>;
export type StudySpecInput = z.input<typeof StudySpec>;

export const TrialStatus = z.enum(['running', 'completed', 'pruned', 'failed']);
export type TrialStatus = z.infer<typeof TrialStatus>;

/** One value reported during a trial, at a step (an epoch). */
export const IntermediateValue = z.object({ step: z.number().int().min(0), value: z.number() });
export type IntermediateValue = z.infer<typeof IntermediateValue>;

export const Trial = z.object({
  id: z.string().min(1),
  studyId: z.string().min(1),
  /** 0, 1, 2... in the order the trials were created. */
  number: z.number().int().min(0),
  status: TrialStatus,
  /** Active parameters only: a conditional parameter whose parent did not select it is absent. */
  params: z.record(z.string(), ParamValue),
  value: z.number().nullable(),
  intermediate: z.array(IntermediateValue),
  startedAt: z.number().int().min(0),
  finishedAt: z.number().int().min(0).nullable(),
});
export type Trial = z.infer<typeof Trial>;

/** `failed`: the study stopped on an error (every trial failed, the sampler threw...); its `failureReason` says which. */
export const StudyStatus = z.enum(['running', 'completed', 'cancelled', 'failed']);
export type StudyStatus = z.infer<typeof StudyStatus>;

export const Study = z.object({
  id: z.string().min(1),
  spec: StudySpec,
  status: StudyStatus,
  createdAt: z.number().int().min(0),
});
export type Study = z.infer<typeof Study>;
