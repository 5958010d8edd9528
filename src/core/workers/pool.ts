/**
 * Runs tasks in worker processes and supervises them. Each task runs in its own OS process, so a
 * native crash, an out-of-memory or a hung kernel ends that task and nothing else. The pool watches
 * heartbeats, turns an unexpected exit into a clear error, and stops a cancelled task in three steps:
 * ask, SIGTERM, SIGKILL.
 *
 * Starting a worker (Node, tsx, the first imports) costs far more than a short job, so a worker that
 * finished its task cleanly waits, warm, for the next task with the same environment (GPU pinning is
 * part of the environment). A worker whose task failed, was cancelled or crashed is never reused: its
 * state is suspect. Idle workers end after `idleMs`.
 */
import * as Comlink from 'comlink';
import { comlinkEndpoint } from './endpoint';
import type { WorkerHandle, WorkerLauncher } from './launcher';
import { WORKER_ENV, type PidRecords } from './pid-records';
import { CANCELLED_MESSAGE, type WorkerApi, type WorkerEvent } from './protocol';

export interface PoolOptions {
  launcher: WorkerLauncher;
  /** Time a cancelled worker gets between SIGTERM and SIGKILL (default 10 s). */
  graceMs?: number;
  /** A worker silent for this long is considered hung and killed. */
  heartbeatTimeoutMs?: number;
  /** Extra environment for every worker (a forced backend, for example). */
  env?: Record<string, string>;
  /** How long a finished worker stays warm for the next task. 0 ends it at once. */
  idleMs?: number;
  /** Warm workers kept at most. */
  maxIdle?: number;
  /** Where live workers' pids are recorded, so a restarted core can end orphans. */
  pidRecords?: PidRecords;
}

export interface RunningTask<R = unknown> {
  readonly pid: number | undefined;
  readonly result: Promise<R>;
  /** Asks the task to stop; escalates to signals if it does not. Safe to call twice. */
  cancel(): void;
  /** Ends the process now (app shutdown). */
  kill(): void;
}

/** A task that ended because its process did, with what is known of why. */
export class WorkerExit extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly signal: string | null,
    /** The last lines the worker wrote to stderr. */
    readonly stderrTail: string[] = [],
  ) {
    super(message);
    this.name = 'WorkerExit';
  }
}

/** How long a cancelled worker gets to stop on its own before SIGTERM. */
const ASK_MS = 2000;

interface Worker {
  handle: WorkerHandle;
  remote: Comlink.Remote<WorkerApi>;
  envKey: string;
  alive: boolean;
  /** Set while the worker runs a task: its exit is that task's business. */
  onExit: ((code: number | null, signal: string | null) => void) | null;
  idleTimer: NodeJS.Timeout | null;
  startedAt: number;
  /** When the task it runs last reported; null while it runs none. */
  lastBeatAt: number | null;
}

/** One live worker process, as the monitor shows it. */
export interface WorkerStatus {
  pid: number;
  startedAt: number;
  lastBeatAt: number | null;
  busy: boolean;
}

export interface RunOptions {
  /** Environment for this task's worker (CUDA_VISIBLE_DEVICES...). Workers are reused only for the same env. */
  env?: Record<string, string>;
  onEvent?: (e: WorkerEvent) => void;
}

export class WorkerPool {
  private readonly running = new Set<RunningTask>();
  private readonly idle: Worker[] = [];
  /** Workers running a task now (the monitor lists them with the idle ones). */
  private readonly busyWorkers = new Set<Worker>();
  private readonly graceMs: number;
  private readonly heartbeatTimeoutMs: number;
  private readonly idleMs: number;
  private readonly maxIdle: number;
  private closed = false;

  constructor(private readonly opts: PoolOptions) {
    this.graceMs = opts.graceMs ?? 10_000;
    this.heartbeatTimeoutMs = opts.heartbeatTimeoutMs ?? 60_000;
    this.idleMs = opts.idleMs ?? 30_000;
    this.maxIdle = opts.maxIdle ?? 4;
  }

  get busy(): number {
    return this.running.size;
  }

  /** Runs `call` against a worker's API: a warm worker with the same environment, or a new one. */
  run<R>(call: (api: Comlink.Remote<WorkerApi>) => Promise<R>, runOpts: RunOptions = {}): RunningTask<R> {
    const env = { ...(this.opts.env ?? {}), ...(runOpts.env ?? {}) };
    const worker = this.take(env);
    this.busyWorkers.add(worker);
    const { handle, remote } = worker;
    let lastBeat = Date.now();
    worker.lastBeatAt = lastBeat;
    let settled = false;
    let cancelRequested = false;
    const timers: NodeJS.Timeout[] = [];
    let hangReason: string | null = null;

    const offEvents = handle.onMessage((msg) => {
      if (!msg || msg.ch !== 'evt') return;
      lastBeat = worker.lastBeatAt = Date.now();
      if (msg.e.type !== 'heartbeat') runOpts.onEvent?.(msg.e);
    });

    const watchdog = setInterval(() => {
      const silent = Date.now() - lastBeat;
      if (silent > this.heartbeatTimeoutMs && !settled) {
        hangReason = `the worker stopped responding (no heartbeat for ${Math.round(silent / 1000)} s) and was killed`;
        handle.kill('SIGKILL');
      }
    }, Math.min(1000, this.heartbeatTimeoutMs));
    const result = new Promise<R>((resolve, reject) => {
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        timers.forEach(clearTimeout);
        clearInterval(watchdog);
        offEvents();
        worker.lastBeatAt = null;
        this.busyWorkers.delete(worker);
        this.running.delete(running);
        fn();
      };
      worker.onExit = (code, signal) => {
        finish(() => {
          if (cancelRequested) return reject(new Error(CANCELLED_MESSAGE));
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          const tail = lastLines(handle.stderrTail ?? '', 5);
          const why = hangReason ?? `the worker process ${how}`;
          reject(new WorkerExit(tail.length ? `${why}: ${tail.join(' | ')}` : why, code, signal, tail));
        });
      };
      call(remote).then(
        (r) => {
          const reusable = !cancelRequested;
          finish(() => resolve(r));
          if (reusable) this.release(worker);
          else this.retire(worker);
        },
        (err: unknown) => {
          if (!worker.alive) return; // the exit handler tells why
          const message = err instanceof Error ? err.message : String(err);
          finish(() => reject(new Error(cancelRequested ? CANCELLED_MESSAGE : message)));
          this.retire(worker);
        },
      );
    });

    const running: RunningTask<R> = {
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
    this.running.add(running as RunningTask);
    // Unhandled rejection guard: callers await `result`, but a shutdown may drop it.
    result.catch(() => undefined);
    return running;
  }

  /** A warm worker for this environment, or a fresh one. */
  private take(env: Record<string, string>): Worker {
    const envKey = JSON.stringify(Object.entries(env).sort());
    const i = this.idle.findIndex((w) => w.envKey === envKey && w.alive);
    if (i >= 0) {
      const [w] = this.idle.splice(i, 1);
      if (w.idleTimer) clearTimeout(w.idleTimer);
      w.idleTimer = null;
      return w;
    }
    return this.spawn(env, envKey);
  }

  private spawn(env: Record<string, string>, envKey: string): Worker {
    // The marker in the environment names the process as a Trainyard worker where its command line
    // cannot (a utilityProcess's arguments are not on it); see PidRecords.
    const handle = this.opts.launcher({ env: { ...env, [WORKER_ENV]: '1' } });
    let pid: number | undefined;
    const record = (spawned: number) => {
      pid = spawned;
      this.opts.pidRecords?.add(spawned);
    };
    if (handle.pid) record(handle.pid);
    else handle.onSpawn?.(record);
    const worker: Worker = {
      handle,
      remote: Comlink.wrap<WorkerApi>(comlinkEndpoint(handle)),
      envKey,
      alive: true,
      onExit: null,
      idleTimer: null,
      startedAt: Date.now(),
      lastBeatAt: null,
    };
    handle.onExit((code, signal) => {
      worker.alive = false;
      if (pid) this.opts.pidRecords?.remove(pid);
      if (worker.idleTimer) clearTimeout(worker.idleTimer);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
      worker.remote[Comlink.releaseProxy]();
      worker.onExit?.(code, signal);
    });
    return worker;
  }

  /** A worker that finished cleanly waits for the next task, unless there is no room or no time. */
  private release(worker: Worker): void {
    worker.onExit = null;
    if (this.closed || !worker.alive || this.idleMs <= 0 || this.idle.length >= this.maxIdle) {
      this.retire(worker);
      return;
    }
    worker.idleTimer = setTimeout(() => this.retire(worker), this.idleMs);
    worker.idleTimer.unref?.();
    this.idle.push(worker);
  }

  private retire(worker: Worker): void {
    const at = this.idle.indexOf(worker);
    if (at >= 0) this.idle.splice(at, 1);
    if (worker.idleTimer) clearTimeout(worker.idleTimer);
    if (worker.alive) worker.handle.kill('SIGTERM');
  }

  /** Every live worker: those running a task and those waiting, warm, for the next. */
  workers(): WorkerStatus[] {
    return [...this.busyWorkers, ...this.idle]
      .filter((w) => w.alive && w.handle.pid !== undefined)
      .map((w) => ({ pid: w.handle.pid!, startedAt: w.startedAt, lastBeatAt: w.lastBeatAt, busy: this.busyWorkers.has(w) }));
  }

  /** Kills every worker (app shutdown) and waits for the busy ones to be gone. */
  async closeAll(): Promise<void> {
    this.closed = true;
    for (const w of [...this.idle]) this.retire(w);
    const all = [...this.running];
    all.forEach((t) => t.kill());
    await Promise.allSettled(all.map((t) => t.result));
  }
}

function lastLines(text: string, n: number): string[] {
  return text.trim().split('\n').filter(Boolean).slice(-n);
}
