/** What every job kind's executor gets from the queue and gives back to it. */
import type { LogLevel } from '../../../shared/contract';
import { WorkerExit, type RunningTask } from '../../workers';
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
  | { status: 'cancelled'; exit?: ProcessExit }
  | { status: 'failed'; error: string; crash?: Crash };

export interface StartedJob {
  runId: string | null;
  task: RunningTask<unknown>;
  outcome: Promise<JobOutcome>;
  log(level: LogLevel, message: string): void;
}

export function crashOf(err: unknown): Crash | undefined {
  return err instanceof WorkerExit ? { code: err.code, signal: err.signal, tail: err.stderrTail } : undefined;
}
