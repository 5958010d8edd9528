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
export type NodeTask = { kind: 'train'; task: TrainTask } | { kind: 'noop'; task: NoopTask } | { kind: 'command'; task: NodeCommandTask };

/** A command job on the node: what to run, and where its metrics file and prune file are (in the job's folder). */
export interface NodeCommandTask {
  jobId: string;
  argv: string[];
  cwd: string;
  /** Only what Trainyard adds; the program inherits the node's environment. */
  env: Record<string, string>;
  graceMs: number;
  metricsFile: string;
  pruneFile: string;
  /** The params' epoch count, for progress. */
  epochs: number | null;
}

/** How the program ended on the node, as CommandExit says it (a spawn error as its code and message). */
export interface NodeCommandResult {
  code: number | null;
  signal: string | null;
  stderrTail: string[];
  stopped: boolean;
  spawnError: { name: string; code?: string; message: string } | null;
}

/** One line of the events file. */
export type NodeLine =
  | WorkerEvent
  | { type: 'result'; result: TrainResult | { sleptMs: number } | NodeCommandResult }
  | { type: 'error'; message: string; cancelled: boolean };
