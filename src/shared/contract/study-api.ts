/**
 * The `studies` group of the API: a study runs its trials as training jobs through the queue. The
 * study vocabulary (space, sampler, pruner, trial) is in studies.ts; this file adds what the faces
 * call and what they are told.
 */
import { z } from 'zod';
import { RunExport } from './runs';
import { MetricKey, Trial, StudyObjective, StudySpec, StudyStatus, SearchSpace } from './studies';
import { ModelFamily, StudyTrainSpec } from './training';
import { ById, Empty, Id, Millis, ParamValue, Priority, method } from './vocabulary';

/** A spec as a face sends it: without an objective, the study optimises the family's default (see `studies.objectives`). */
export const StudySpecDraft = StudySpec.extend({ objective: StudyObjective.optional() });

export const StudyCreateInput = z
  .object({
    spec: StudySpecDraft,
    /**
     * What every trial trains: dataset, target, model and base params; or a command (its objective
     * then names a metric the program reports). The space's values override the params.
     */
    train: StudyTrainSpec,
    /** Trials run as jobs at this priority. */
    priority: Priority.default('normal'),
    /** Warm start: trials to run first with these params (each must lie in the space). */
    enqueue: z.array(z.record(z.string(), ParamValue)).max(1000).default([]),
    /** Run the trials on this cluster target (several in parallel, up to `spec.parallelism`) instead of this machine. */
    cluster: z.string().min(1).max(64).optional(),
  })
  .strict();
export type StudyCreateInput = z.input<typeof StudyCreateInput>;

export const TrialCounts = z.object({
  running: z.number().int(),
  completed: z.number().int(),
  pruned: z.number().int(),
  failed: z.number().int(),
});

export const BestTrial = z.object({ number: z.number().int(), value: z.number(), params: z.record(z.string(), ParamValue) });

export const StudySummary = z.object({
  id: Id,
  name: z.string(),
  status: StudyStatus,
  spec: StudySpec,
  train: StudyTrainSpec,
  priority: Priority,
  counts: TrialCounts,
  best: BestTrial.nullable(),
  createdAt: Millis,
  finishedAt: Millis.nullable(),
  /** Why a `failed` study stopped, in words; null otherwise. */
  failureReason: z.string().nullable(),
  /** The per-epoch series the trials' intermediate values (and the pruner) read; null when the family reports none. */
  intermediateKey: z.string().nullable(),
  /** The cluster target its trials run on; null: this machine. */
  cluster: z.string().nullable().default(null),
});
export type StudySummary = z.infer<typeof StudySummary>;

/** A trial with the job that runs it and the run it records. */
export const StudyTrial = Trial.extend({
  jobId: Id.nullable(),
  runId: Id.nullable(),
  /** Why a failed trial failed (its job's error, or a run that lacks the objective); null otherwise. */
  error: z.string().nullable().default(null),
});
export type StudyTrial = z.infer<typeof StudyTrial>;

/** What a study on a model family may optimise: the keys its runs report, the default objective, whether a pruner has a series to read. */
export const StudyObjectives = z.object({
  metrics: z.array(MetricKey),
  default: StudyObjective,
  prunable: z.boolean(),
});
export type StudyObjectives = z.infer<typeof StudyObjectives>;

export const ParamImportanceRow = z.object({ param: z.string(), importance: z.number() });

export const studiesMethods = {
  create: method(StudyCreateInput, StudySummary),
  list: method(Empty, z.array(StudySummary)),
  get: method(ById, StudySummary),
  trials: method(
    z.object({ id: Id, offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(20000).default(5000) }).strict(),
    z.object({ trials: z.array(StudyTrial), total: z.number().int() }),
  ),
  /** Recomputed as trials finish; empty until there are enough completed trials. */
  importance: method(ById, z.array(ParamImportanceRow)),
  enqueue: method(z.object({ id: Id, params: z.record(z.string(), ParamValue) }).strict(), StudySummary),
  cancel: method(ById, StudySummary),
  export: method(z.object({ id: Id, format: z.enum(['csv', 'json']) }).strict(), RunExport),
  /** A model family's default search space, for the new-study form. */
  defaultSpace: method(z.object({ model: ModelFamily }).strict(), SearchSpace),
  /** The objectives a model family offers a study, for the new-study form. */
  objectives: method(z.object({ model: ModelFamily }).strict(), StudyObjectives),
};
