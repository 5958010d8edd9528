/** What every job kind's executor gets from the queue and gives back to it. */
import type { LogLevel } from '../../../shared/contract';
import type { DatasetCatalog } from '../../datasets';
import type { EventBus } from '../../events';
import type { Store } from '../../store';
import type { Tracking } from '../../tracking';
import { WorkerExit, type RunningTask, type WorkerPool } from '../../workers';

export interface ExecutorDeps {
  store: Store;
  bus: EventBus;
  tracking: Tracking;
  datasets: DatasetCatalog;
  pool: WorkerPool;
  dataDir: string;
  backend?: string;
  /** The worker's environment: GPU pinning. */
  env: Record<string, string>;
  /** The job's own checkpoint folder, the same on every start of the job. */
  checkpointDir: string;
  /** How often a training job's system metrics (CPU, memory, GPU) are sampled; 0 turns sampling off. */
  systemSampleMs: number;
}

/** How a worker process died, when it did: what the transition records and what makes a crash retryable. */
export interface Crash {
  code: number | null;
  signal: string | null;
  tail: string[];
}

export type JobOutcome =
  | { status: 'completed' }
  | { status: 'cancelled' }
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
