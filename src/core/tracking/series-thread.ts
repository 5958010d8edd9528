/**
 * Long series reads off the main thread: one worker thread, started on the first long read, with
 * its own read-only connection to the store's file (./series-worker.ts). The core's event loop
 * keeps answering while a million points are read; whole series come back as columns of
 * Float64Array, handed over without a copy.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { MetricPoint } from '../../shared/contract';
import { fromWireError, type WireError } from '../../shared/errors';
import type { StepWindow } from './series-read';

export interface SeriesColumns {
  step: Float64Array;
  ts: Float64Array;
  value: Float64Array;
}

export type SeriesRequest =
  | { id: number; op: 'read'; runId: string; key: string; maxPoints: number; window: StepWindow }
  | { id: number; op: 'columns'; runId: string; key: string; window: StepWindow }
  | { id: number; op: 'csv'; runId: string; key: string; window: StepWindow };

export type SeriesReply =
  | ({ id: number; ok: true } & (({ op: 'read' } & { points: MetricPoint[]; total: number }) | ({ op: 'columns' } & SeriesColumns) | { op: 'csv'; text: string; count: number }))
  | { id: number; ok: false; error: WireError };

type Answer = Extract<SeriesReply, { ok: true }>;
/** A request as callers write it; the thread numbers it. */
type Unnumbered<T> = T extends unknown ? Omit<T, 'id'> : never;

/** The thread's entry: built JavaScript beside this module when bundled (out/main), else the .mjs that loads the TypeScript through tsx. */
function entry(): URL {
  const built = new URL('./series-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(built) ? built : new URL('./series-worker.mjs', import.meta.url);
}

export class SeriesThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (a: Answer) => void; reject: (e: Error) => void }>();

  /** `nativeBinding`: the store's own better-sqlite3 binary (the desktop app's is built for Electron's ABI). */
  constructor(
    private readonly file: string,
    private readonly nativeBinding?: string,
  ) {}

  read(runId: string, key: string, maxPoints: number, window: StepWindow): Promise<{ points: MetricPoint[]; total: number }> {
    return this.ask({ op: 'read', runId, key, maxPoints, window }).then((a) => (a.op === 'read' ? { points: a.points, total: a.total } : unexpected(a.op)));
  }

  columns(runId: string, key: string, window: StepWindow = {}): Promise<SeriesColumns> {
    return this.ask({ op: 'columns', runId, key, window }).then((a) => (a.op === 'columns' ? { step: a.step, ts: a.ts, value: a.value } : unexpected(a.op)));
  }

  /** The series as CSV (`step,ts,value`, one line a point), built in the thread. */
  csv(runId: string, key: string, window: StepWindow = {}): Promise<{ text: string; count: number }> {
    return this.ask({ op: 'csv', runId, key, window }).then((a) => (a.op === 'csv' ? { text: a.text, count: a.count } : unexpected(a.op)));
  }

  /** Stops the thread; reads still waiting are refused. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (!worker) return;
    this.failAll(new Error('Trainyard is closing; the series read was not finished'));
    await worker.terminate();
  }

  private ask(req: Unnumbered<SeriesRequest>): Promise<Answer> {
    const worker = this.started();
    const id = this.nextId++;
    // While a read is in flight the thread holds the process open (a CLI awaiting it must not exit).
    if (this.pending.size === 0) worker.ref();
    return new Promise<Answer>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...req, id });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(entry(), { workerData: { file: this.file, nativeBinding: this.nativeBinding } });
    // An idle thread does not keep the process alive.
    worker.unref();
    worker.on('message', (reply: SeriesReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) p.resolve(reply);
      else p.reject(fromWireError(reply.error));
    });
    worker.on('error', (err) => this.failAll(new Error(`The series read thread failed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.failAll(new Error(`The series read thread exited (code ${code}) before it answered`));
    });
    this.worker = worker;
    return worker;
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}

function unexpected(op: string): never {
  throw new Error(`The series read thread answered a ${op} request it was not asked`);
}
