/**
 * What Trainyard's node process (a job on a cluster node, with no core beside it) and the core say
 * to each other, through files on the cluster's shared workdir: the node reads the job's task from
 * `task.json` and appends one JSON object a line to `events-<cluster job id>.jsonl` (the same
 * events a local worker sends, then its result or its error); the core tails that file.
 */
import { join } from 'node:path';
import type { NoopTask, TrainResult, TrainTask, WorkerEvent } from './protocol';

export const taskFileOf = (jobDir: string) => join(jobDir, 'task.json');
/** One events file per submission: a job submitted again (a retry) starts a fresh one. */
export const eventsFileOf = (jobDir: string, clusterJobId: string) => join(jobDir, `events-${clusterJobId}.jsonl`);

/** What the node process reads from task.json. */
export type NodeTask = { kind: 'train'; task: TrainTask } | { kind: 'noop'; task: NoopTask };

/** One line of the events file. */
export type NodeLine =
  | WorkerEvent
  | { type: 'result'; result: TrainResult | { sleptMs: number } }
  | { type: 'error'; message: string; cancelled: boolean };
