/**
 * A real core over a temp data directory for queue tests: real SQLite, real worker processes (the
 * product's worker, or one that misbehaves on purpose), the API called as every face calls it.
 */
import { fileURLToPath } from 'node:url';
import { createApp, type AppOptions, type CoreApp } from '../../../src/core/app';
import { createForkLauncher, forkLauncher, type WorkerHandle, type WorkerLauncher } from '../../../src/core/workers';
import type { Api, Job, JobStatus } from '../../../src/shared/contract';
import { createClient, createMemoryPair, serveConnection } from '../../../src/shared/rpc';
import { tempDir } from '../../helpers/tmp';

export const FAULTY_WORKER = fileURLToPath(new URL('../../fixtures/workers/faulty-worker.ts', import.meta.url));
export const FINAL: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export interface Harness {
  core: CoreApp;
  /** The API through the contract's validation, as a face calls it. */
  api: Api;
  dir: string;
  /** Every worker the pool started, with the environment it was given. */
  workers: { handle: WorkerHandle; env: Record<string, string> }[];
  /** Every job.updated event, in order. */
  updates: Job[];
  waitFor(id: string, until?: (j: Job) => boolean): Promise<Job>;
  /** Waits until every given job has reached a final status. */
  drain(ids: string[]): Promise<Job[]>;
  close(): Promise<void>;
}

export interface HarnessOptions extends Partial<AppOptions> {
  /** Misbehave this way (see the faulty worker); undefined runs the product's worker. */
  fault?: string;
  /** Extra environment for the workers. */
  workerEnv?: Record<string, string>;
}

export async function startCore(opts: HarnessOptions = {}): Promise<Harness> {
  const t = opts.dataDir ? { dir: opts.dataDir, cleanup: () => undefined } : tempDir();
  const workers: Harness['workers'] = [];
  const base: WorkerLauncher = opts.fault !== undefined ? createForkLauncher(FAULTY_WORKER) : forkLauncher;
  const launcher: WorkerLauncher = (o) => {
    const env = { ...o.env, ...(opts.workerEnv ?? {}), ...(opts.fault !== undefined ? { TRAINYARD_FAULT: opts.fault } : {}) };
    const handle = base({ env });
    workers.push({ handle, env });
    return handle;
  };
  const core = await createApp({ maxConcurrent: 1, cancelGraceMs: 500, ...opts, dataDir: t.dir, launcher });
  const [a, b] = createMemoryPair();
  serveConnection({ handlers: core.api, events: core.events, transport: a });
  const api = createClient(b).api;
  const updates: Job[] = [];
  core.events.on('job.updated', (j) => updates.push(j));
  const waitFor = (id: string, until: (j: Job) => boolean = (j) => FINAL.includes(j.status)) =>
    new Promise<Job>((resolve, reject) => {
      const check = () =>
        api.jobs.get({ id }).then((j) => {
          if (until(j)) {
            clearInterval(poll);
            off();
            resolve(j);
          }
        }, reject);
      const off = core.events.on('job.updated', (j) => {
        if (j.id === id) void check();
      });
      const poll = setInterval(check, 100);
      void check();
    });
  return {
    core,
    api,
    dir: t.dir,
    workers,
    updates,
    waitFor,
    drain: (ids) => Promise.all(ids.map((id) => waitFor(id))),
    async close() {
      await core.close();
      t.cleanup();
    },
  };
}

/** A job that waits `sleepMs` in a worker. */
export const noop = (sleepMs = 0, extra: Record<string, unknown> = {}) => ({ spec: { kind: 'noop' as const, sleepMs }, priority: 'normal' as const, ...extra });

export function isAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A small seeded PRNG (mulberry32) for property tests. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Resolves once `cond` holds, checking every 20 ms. */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}
