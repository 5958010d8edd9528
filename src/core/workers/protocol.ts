/**
 * What the core and a worker process say to each other.
 *
 * Calls go through comlink (`WorkerApi`); the worker's running commentary (progress, log lines,
 * metric points, heartbeats) goes on a second channel of plain messages, because comlink's callback
 * proxies need transferable MessagePorts that process IPC cannot carry.
 */
import type { BackendInfo, LogLevel, ParamValue, TrainSpec } from '../../shared/contract';

export interface TrainTask {
  jobId: string;
  runId: string;
  /** Absolute path of the stored dataset file (under the data directory). */
  datasetPath: string;
  datasetSha256: string;
  spec: TrainSpec;
  /** Absolute folder where the model files and card are written. */
  modelDir: string;
  /**
   * The job's own checkpoint folder, the same for every start of the job: training saves its state
   * here every N epochs, and a job re-queued after an interruption resumes from what it finds.
   */
  checkpointDir: string;
  /** A backend the user forced (`wasm`, `cpu`, `webgpu`...); otherwise the best available. */
  backend?: string;
}

export interface TrainArtifact {
  kind: string;
  /** Absolute path of a file. */
  path: string;
  sizeBytes: number;
  sha256: string;
}

export interface TrainResult {
  /** The params the model was trained with, defaults filled in. */
  params: Record<string, ParamValue>;
  /** Final metrics on the original scale: `test.mae`..., and baselines `naive.mae`... */
  metrics: Record<string, number>;
  /**
   * Summaries that are not a series' latest point, set once the run's points are written: the
   * `val_loss` of the best epoch (the weights kept), where the series goes on past it.
   */
  summary?: Record<string, { step: number; value: number }>;
  backend: string;
  device: string;
  artifacts: TrainArtifact[];
}

export type WorkerEvent =
  | { type: 'progress'; step: string; fraction: number; etaMs: number | null }
  | { type: 'log'; level: LogLevel; message: string; ts: number }
  | { type: 'metric'; key: string; step: number; value: number; ts: number }
  | { type: 'heartbeat'; ts: number };

/** A job that only waits: the queue's own overhead, and a health check of the pool. */
export interface NoopTask {
  jobId: string;
  sleepMs: number;
}

export interface WorkerApi {
  train(task: TrainTask): Promise<TrainResult>;
  noop(task: NoopTask): Promise<{ sleptMs: number }>;
  /** Cooperative cancel: training stops at the next batch and `train` rejects with "cancelled". */
  cancel(): Promise<void>;
  backends(): Promise<{ backends: BackendInfo[]; backend: string }>;
}

/** Envelope on the process channel: comlink traffic or worker events. */
export type Envelope = { ch: 'rpc'; m: unknown } | { ch: 'evt'; e: WorkerEvent };

export const CANCELLED_MESSAGE = 'cancelled';
