/**
 * What the core and a worker process say to each other.
 *
 * Calls go through comlink (`WorkerApi`); the worker's running commentary (progress, log lines,
 * metric points, heartbeats) goes on a second channel of plain messages, because comlink's callback
 * proxies need transferable MessagePorts that process IPC cannot carry.
 */
import type { BackendInfo, LogLevel, ParamValue, TrainSpec } from '../../shared/contract';
import type { WireError } from '../../shared/errors';

export interface TrainTask {
  jobId: string;
  runId: string;
  /** Absolute path of the stored dataset file (under the data directory). */
  datasetPath: string;
  /** The file name the user imported (the stored copy is named by the dataset's id): what messages name. */
  datasetFilename?: string;
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

/** A saved model as predict and evaluate load it: its folder (read-only) and its parsed card. */
export interface ScoreModel {
  /** How the model is named in messages (`sales:3`). */
  label: string;
  dir: string;
  card: Record<string, unknown>;
}

/** A data file to score on: an absolute path and the name messages use. */
export interface ScoreFile {
  path: string;
  name: string;
}

export interface PredictTask {
  model: ScoreModel;
  file: ScoreFile;
}

/** A prediction table (see the contract's PredictResult, less what the core adds). */
export interface PredictOutput {
  task: 'forecast' | 'anomaly';
  columns: string[];
  rows: (string | number | null)[][];
  csv: string;
  skipped: number;
}

export interface EvaluateTask {
  models: ScoreModel[];
  file: ScoreFile;
  rows: 'test' | 'all';
}

export interface EvaluateOutput {
  rows: { which: 'test' | 'all'; count: number; from: string | null; to: string | null };
  /** One record per model, in the task's order. */
  metrics: Record<string, number>[];
}

/**
 * What predict and evaluate hand back: a value, or the typed error that stopped them as it crosses
 * the wire, so an InvalidInput naming a row and column in the worker is one in the core too.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: WireError };

export interface WorkerApi {
  train(task: TrainTask): Promise<TrainResult>;
  noop(task: NoopTask): Promise<{ sleptMs: number }>;
  /** Predictions of one saved model on a data file. */
  predict(task: PredictTask): Promise<Outcome<PredictOutput>>;
  /** Metrics of several saved models on the same rows of a data file. */
  evaluate(task: EvaluateTask): Promise<Outcome<EvaluateOutput>>;
  /** Cooperative cancel: training stops at the next batch and `train` rejects with "cancelled". */
  cancel(): Promise<void>;
  backends(): Promise<{ backends: BackendInfo[]; backend: string }>;
}

/** Envelope on the process channel: comlink traffic or worker events. */
export type Envelope = { ch: 'rpc'; m: unknown } | { ch: 'evt'; e: WorkerEvent };

export const CANCELLED_MESSAGE = 'cancelled';
