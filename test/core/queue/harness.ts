/**
 * A real core over a temp data directory for queue tests: real SQLite, real worker processes (the
 * product's worker, or one that misbehaves on purpose), the API called as every face calls it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';
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
  let closing: Promise<void> | undefined;
  return {
    core,
    api,
    dir: t.dir,
    workers,
    updates,
    waitFor,
    drain: (ids) => Promise.all(ids.map((id) => waitFor(id))),
    // Once, however often it is called: a test may close its core itself before the file's afterEach does.
    close() {
      closing ??= core.close().then(t.cleanup);
      return closing;
    },
  };
}

/**
 * Called once at the top of a test file: a startCore whose cores are closed (and their temp dirs
 * removed) after the test that started them, whether it passed or not. The last started closes
 * first: a core restarted on an earlier one's data dir is gone before that dir is removed.
 */
export function coresPerTest(): (opts?: HarnessOptions) => Promise<Harness> {
  const started: Harness[] = [];
  afterEach(async () => {
    for (const h of started.splice(0).reverse()) await h.close();
  });
  return async (opts) => {
    const h = await startCore(opts);
    started.push(h);
    return h;
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

/**
 * Starts `script` (run with tsx) as a core in its own process, so a test can SIGKILL it; resolves
 * with its pid and the first JSON line it prints (what it has started), and rejects if it exits first.
 */
export function startCoreProcess<Announced extends object>(script: string, env: Record<string, string>): Promise<{ pid: number } & Announced> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ pid: child.pid!, ...(JSON.parse(line) as Announced) });
    });
    child.on('exit', (code) => reject(new Error(`core process exited early with ${code}`)));
  });
}

/** Resolves once `cond` holds, checking every 20 ms. */
export async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}
