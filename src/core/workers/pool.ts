/**
 * Runs tasks in worker processes and supervises them. Each job gets its own OS process, so a native
 * crash, an out-of-memory or a hung kernel ends that job and nothing else. The pool watches
 * heartbeats, turns an unexpected exit into a clear error, and stops a cancelled job in three steps:
 * ask, SIGTERM, SIGKILL.
 */
import * as Comlink from 'comlink';
import { comlinkEndpoint } from './endpoint';
import type { WorkerHandle, WorkerLauncher } from './launcher';
import { CANCELLED_MESSAGE, type TrainResult, type TrainTask, type WorkerApi, type WorkerEvent } from './protocol';

export interface PoolOptions {
  launcher: WorkerLauncher;
  /** Time a cancelled worker gets between SIGTERM and SIGKILL. */
  graceMs?: number;
  /** A worker silent for this long is considered hung and killed. */
  heartbeatTimeoutMs?: number;
  /** Extra environment for every worker (a forced backend, for example). */
  env?: Record<string, string>;
}

export interface RunningTask {
  readonly pid: number | undefined;
  readonly result: Promise<TrainResult>;
  /** Asks the task to stop; escalates to signals if it does not. Safe to call twice. */
  cancel(): void;
  /** Ends the process now (app shutdown). */
  kill(): void;
}

/** A task that ended because its process did, with what is known of why. */
export class WorkerExit extends Error {
  constructor(message: string, readonly code: number | null, readonly signal: string | null) {
    super(message);
    this.name = 'WorkerExit';
  }
}

/** How long a cancelled worker gets to stop on its own before SIGTERM. */
const ASK_MS = 2000;

export class WorkerPool {
  private readonly running = new Set<RunningTask>();
  private readonly graceMs: number;
  private readonly heartbeatTimeoutMs: number;

  constructor(private readonly opts: PoolOptions) {
    this.graceMs = opts.graceMs ?? 10_000;
    this.heartbeatTimeoutMs = opts.heartbeatTimeoutMs ?? 60_000;
  }

  get busy(): number {
    return this.running.size;
  }

  run(task: TrainTask, onEvent: (e: WorkerEvent) => void): RunningTask {
    const handle: WorkerHandle = this.opts.launcher({ env: { ...(this.opts.env ?? {}) } });
    const remote = Comlink.wrap<WorkerApi>(comlinkEndpoint(handle));
    let lastBeat = Date.now();
    let settled = false;
    let cancelRequested = false;
    const timers: NodeJS.Timeout[] = [];
    let hangReason: string | null = null;

    const offEvents = handle.onMessage((env) => {
      if (!env || env.ch !== 'evt') return;
      lastBeat = Date.now();
      if (env.e.type !== 'heartbeat') onEvent(env.e);
    });

    const result = new Promise<TrainResult>((resolve, reject) => {
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        clearInterval(watchdog);
        offEvents();
        fn();
      };
      remote.train(task).then(
        (r) => {
          finish(() => resolve(r));
          handle.kill('SIGTERM'); // its work is done; the next job gets a fresh process
        },
        (err: unknown) => {
          const message = err instanceof Error ? err.message : String(err);
          finish(() => reject(new Error(cancelRequested ? CANCELLED_MESSAGE : message)));
          handle.kill('SIGTERM');
        },
      );
      handle.onExit((code, signal) => {
        this.running.delete(running);
        remote[Comlink.releaseProxy]();
        finish(() => {
          if (cancelRequested) return reject(new Error(CANCELLED_MESSAGE));
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          const tail = handle.stderrTail?.trim();
          const why = hangReason ?? `the worker process ${how}`;
          reject(new WorkerExit(tail ? `${why}: ${lastLines(tail, 5)}` : why, code, signal));
        });
      });
    });

    const watchdog = setInterval(() => {
      const silent = Date.now() - lastBeat;
      if (silent > this.heartbeatTimeoutMs && !settled) {
        hangReason = `the worker stopped responding (no heartbeat for ${Math.round(silent / 1000)} s) and was killed`;
        handle.kill('SIGKILL');
      }
    }, Math.min(1000, this.heartbeatTimeoutMs));

    const running: RunningTask = {
      pid: handle.pid,
      result,
      cancel: () => {
        if (cancelRequested || settled) return;
        cancelRequested = true;
        remote.cancel().catch(() => undefined);
        timers.push(setTimeout(() => handle.kill('SIGTERM'), ASK_MS));
        timers.push(setTimeout(() => handle.kill('SIGKILL'), ASK_MS + this.graceMs));
      },
      kill: () => handle.kill('SIGKILL'),
    };
    this.running.add(running);
    // Unhandled rejection guard: callers await `result`, but a shutdown may drop it.
    result.catch(() => undefined);
    return running;
  }

  /** Kills every worker (app shutdown) and waits for them to be gone. */
  async closeAll(): Promise<void> {
    const all = [...this.running];
    all.forEach((t) => t.kill());
    await Promise.allSettled(all.map((t) => t.result));
  }
}

function lastLines(text: string, n: number): string {
  return text.split('\n').filter(Boolean).slice(-n).join(' | ');
}
