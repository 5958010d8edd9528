/** What every job kind's executor gets from the queue and gives back to it. */
import type { Job, LogLevel } from '../../../shared/contract';
import { WorkerExit, type NoopTask, type RunningTask, type TrainResult, type TrainTask, type WorkerEvent } from '../../workers';
import type { CommandExit, CommandFiles, CommandInvocation } from '../../commands';
import type { QueueDeps } from '../queue';

/** The queue's own deps, plus what the queue decides for this one job. */
export interface ExecutorDeps extends QueueDeps {
  /** The worker's environment: GPU pinning. */
  env: Record<string, string>;
  /** The job's own checkpoint folder, the same on every start of the job. */
  checkpointDir: string;
  /** How often a training job's system metrics (CPU, memory, GPU) are sampled; 0 turns sampling off. */
  systemSampleMs: number;
  /**
   * True once Trainyard is stopping: a task that ends now was ended by the stop, not by its own
   * failure, and its run stays open for the job's next start.
   */
  closing: () => boolean;
  /** Where the job's process runs. */
  placement: Placement;
}

/** How a worker process died, when it did: what the transition records and what makes a crash retryable. */
export interface Crash {
  code: number | null;
  signal: string | null;
  tail: string[];
}

/** How a job's own process ended, where it has one of its own (a command job): recorded with the job's end. */
export interface ProcessExit {
  code: number | null;
  signal: string | null;
}

export type JobOutcome =
  | { status: 'completed'; exit?: ProcessExit }
  /** `cause`: who cancelled it, where that was not Trainyard (a `scancel` on the cluster). */
  | { status: 'cancelled'; cause?: string; exit?: ProcessExit }
  | { status: 'failed'; error: string; crash?: Crash }
  /** The place it ran gave it back (a Slurm preemption): it waits in the queue again, its run left open. */
  | { status: 'requeued'; cause: string };

/**
 * Where a job's process runs: a worker of the local pool, or a job on a cluster. Train and noop
 * executors hand their task to a placement and read the same events and result from any of them.
 */
export interface Placement {
  train(task: TrainTask, onEvent: (e: WorkerEvent) => void): RunningTask<TrainResult>;
  noop(task: NoopTask, onEvent: (e: WorkerEvent) => void): RunningTask<unknown>;
  /**
   * A command job run there, on a cluster (on this machine the command executor spawns the program
   * itself): the node runs `invocation(files)` with its files in the job's folder on the cluster,
   * and what the program left in its artifacts folder is copied home before the result comes.
   */
  command?(cmd: PlacedCommand, epochs: number | null, onEvent: (e: WorkerEvent) => void): { invocation: CommandInvocation; task: RunningTask<CommandExit> };
}

export interface PlacedCommand {
  graceMs: number;
  /** The run's artifacts folder in the data directory. */
  artifactsDir: string;
  invocation(files: Omit<CommandFiles, 'jobId' | 'runId'>): CommandInvocation;
}

/**
 * Cluster targets as the queue sees them: whether one exists, how many jobs it takes at once, and
 * a placement for a job on it (null on re-attach when the cluster holds nothing for the job).
 */
export interface ClusterPlacements {
  /** Throws NotFound when there is no cluster of this name. */
  check(name: string): Promise<void>;
  /** Jobs kept in flight on this cluster at once. */
  limitOf(name: string): number;
  placement(job: Job, how: { attach: boolean }): Promise<Placement | null>;
}

/**
 * The place a job ran ended it for a reason that is not the job's failure: cancelled from outside
 * Trainyard, or preempted (it goes back to the queue, its run stays open to be continued).
 */
export class PlacementEnded extends Error {
  constructor(readonly outcome: Extract<JobOutcome, { status: 'cancelled' | 'requeued' }>) {
    super(outcome.cause);
    this.name = 'PlacementEnded';
  }
}

export interface StartedJob {
  runId: string | null;
  task: RunningTask<unknown>;
  outcome: Promise<JobOutcome>;
  log(level: LogLevel, message: string): void;
}

export function crashOf(err: unknown): Crash | undefined {
  return err instanceof WorkerExit ? { code: err.code, signal: err.signal, tail: err.stderrTail } : undefined;
}
