/**
 * How the pipeline talks while it works: progress as a fraction of the whole job (each step owns a
 * slice), log lines, metric points. Everything goes out through one emitter, which in a worker
 * sends the events to the core.
 */
import type { LogLevel } from '../../shared/contract';
import { CANCELLED_MESSAGE, type WorkerEvent } from '../workers';

export type Emit = (ev: WorkerEvent) => void;

/** Each step's share of the job's progress. Training is most of the time, so most of the bar. */
export const STEP_SPANS = {
  load: [0, 0.05],
  preprocess: [0.05, 0.1],
  train: [0.1, 0.9],
  evaluate: [0.9, 0.95],
  register: [0.95, 1],
} as const;
export type StepName = keyof typeof STEP_SPANS;

export class Reporter {
  constructor(
    private readonly emit: Emit,
    private readonly now: () => number = Date.now,
  ) {}

  /** `within` is 0..1 through the step. */
  progress(step: StepName, within: number, etaMs: number | null = null): void {
    const [from, to] = STEP_SPANS[step];
    const w = Math.min(1, Math.max(0, within));
    this.emit({ type: 'progress', step, fraction: from + (to - from) * w, etaMs });
  }

  log(level: LogLevel, message: string): void {
    this.emit({ type: 'log', level, message, ts: this.now() });
  }

  info(message: string): void {
    this.log('info', message);
  }

  metric(key: string, step: number, value: number): void {
    this.emit({ type: 'metric', key, step, value, ts: this.now() });
  }
}

/** Training progress events at most this often within an epoch; every epoch end reports anyway. */
export const PROGRESS_EVERY_MS = 250;

/** A loss value for the log: four decimals, or exponent notation when it is that small. */
export const formatLoss = (v: number): string => (Math.abs(v) >= 0.001 || v === 0 ? v.toFixed(4) : v.toExponential(3));

/** Estimates time left from the rate observed so far; null until there is a rate. */
export class RateEta {
  private readonly started: number;
  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
  }
  estimate(done: number, total: number): number | null {
    const elapsed = this.now() - this.started;
    if (done <= 0 || elapsed <= 0) return null;
    return Math.max(0, Math.round((elapsed / done) * (total - done)));
  }
}

export interface StepContext {
  report: Reporter;
  /** True once the user asked to cancel. */
  shouldStop: () => boolean;
}

export function cancelled(): Error {
  return new Error(CANCELLED_MESSAGE);
}

/** Stops between steps when a cancel has been asked for. */
export function checkCancelled(ctx: StepContext): void {
  if (ctx.shouldStop()) throw cancelled();
}
