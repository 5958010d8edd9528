/**
 * The contract between every face (Electron window, browser, CLI) and the core.
 *
 * Zod schemas, one file per group: each method's input and output and each event's payload.
 * Types are inferred from these schemas; the core validates every input against them at the
 * boundary, so a bad payload gets an `InvalidInput` error naming the field, whichever face sent it.
 * This file imports nothing from Node or the DOM: the renderer uses it too.
 */
import { z } from 'zod';
import { clustersMethods } from './clusters';
import { datasetsMethods } from './datasets';
import { Job, JobTransition, LogLine, QueueState, jobsMethods, queueMethods } from './jobs';
import { RegisteredModel, TransferProgress, modelsMethods } from './registry';
import { runsMethods } from './runs';
import { StudySummary, StudyTrial, studiesMethods } from './study-api';
import { systemMethods } from './system';
import { MonitorSnapshot, monitorMethods } from './monitor';
import { Id, Millis, type MethodSchema } from './vocabulary';

export * from './vocabulary';
export * from './system';
export * from './datasets';
export * from './training';
export * from './jobs';
export * from './runs';
export * from './studies';
export * from './study-api';
export * from './registry';
export * from './monitor';
export * from './clusters';

export const contract = {
  system: systemMethods,
  datasets: datasetsMethods,
  jobs: jobsMethods,
  queue: queueMethods,
  runs: runsMethods,
  studies: studiesMethods,
  models: modelsMethods,
  monitor: monitorMethods,
  clusters: clustersMethods,
} as const;

export type Contract = typeof contract;

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

export const RunMetricEvent = z.object({
  runId: Id,
  jobId: Id,
  key: z.string(),
  step: z.number().int(),
  ts: Millis,
  value: z.number(),
});
export type RunMetricEvent = z.infer<typeof RunMetricEvent>;

export const events = {
  'job.updated': Job,
  'job.log': LogLine,
  'run.metric': RunMetricEvent,
  'job.transition': JobTransition,
  'queue.updated': QueueState,
  'study.updated': StudySummary,
  'trial.updated': StudyTrial,
  'model.updated': RegisteredModel,
  'model.transfer': TransferProgress,
  /** The monitor's live sample, every tick (1-2 s) while the core runs its scheduler. */
  'monitor.sample': MonitorSnapshot,
} as const;
export type Events = { [K in keyof typeof events]: z.infer<(typeof events)[K]> };
export type EventName = keyof Events;
export const EVENT_NAMES = Object.keys(events) as EventName[];

// ---------------------------------------------------------------------------------------------
// Types derived from the contract
// ---------------------------------------------------------------------------------------------

type Group = Record<string, MethodSchema>;
export type GroupName = keyof Contract;
export type MethodName = {
  [G in GroupName]: `${G & string}.${keyof Contract[G] & string}`;
}[GroupName];

type SchemaOf<M extends MethodName> = M extends `${infer G}.${infer N}`
  ? G extends GroupName
    ? N extends keyof Contract[G]
      ? Contract[G][N]
      : never
    : never
  : never;

/** What a caller may pass (defaults still optional). */
export type Input<M extends MethodName> = z.input<SchemaOf<M>['input']>;
/** What the core receives after validation (defaults filled in). */
export type ParsedInput<M extends MethodName> = z.output<SchemaOf<M>['input']>;
export type Output<M extends MethodName> = z.output<SchemaOf<M>['output']>;

/** The API as the faces call it: `api.jobs.create({ spec })`. */
export type Api = {
  [G in GroupName]: {
    [N in keyof Contract[G]]: Contract[G][N] extends MethodSchema<infer I, infer O>
      ? (input: z.input<I>) => Promise<z.output<O>>
      : never;
  };
};

/** The API as the core implements it: inputs arrive validated, with defaults applied. */
export type ApiHandlers = {
  [G in GroupName]: {
    [N in keyof Contract[G]]: Contract[G][N] extends MethodSchema<infer I, infer O>
      ? (input: z.output<I>) => Promise<z.output<O>>
      : never;
  };
};

/** Looks a method's schema up by its wire name (`jobs.create`); undefined for unknown names. */
export function methodSchema(name: string): MethodSchema | undefined {
  const [group, fn, ...rest] = name.split('.');
  if (rest.length > 0 || !group || !fn) return undefined;
  if (!Object.prototype.hasOwnProperty.call(contract, group)) return undefined;
  const g = (contract as unknown as Record<string, Group>)[group];
  return Object.prototype.hasOwnProperty.call(g, fn) ? g[fn] : undefined;
}

export const METHOD_NAMES: MethodName[] = Object.entries(contract).flatMap(([g, methods]) =>
  Object.keys(methods).map((m) => `${g}.${m}` as MethodName),
);
