/**
 * The composition root: wires the capabilities over one data directory and returns the API the
 * faces call, the events they subscribe to, and `close`. Electron's main process, `trainyard serve`
 * and the CLI all start the core through here.
 */
import { mkdirSync } from 'node:fs';
import { arch, cpus, platform, totalmem } from 'node:os';
import type { ApiHandlers, Events } from '../shared/contract';
import type { EventSource } from '../shared/rpc';
import { detectBackends } from './compute';
import { DatasetCatalog } from './datasets';
import { EventBus } from './events';
import { acquireLock, type DataDirLock } from './lock';
import { dataPaths } from './paths';
import { JobQueue } from './queue';
import { openStore } from './store';
import { Tracking } from './tracking';
import { VERSION } from './version';
import { WorkerPool, forkLauncher, type WorkerLauncher } from './workers';

export interface AppOptions {
  dataDir: string;
  /** How worker processes start: child_process.fork by default, utilityProcess under Electron. */
  launcher?: WorkerLauncher;
  /** Run the scheduler (start queued jobs). Short-lived CLI commands leave it off. */
  scheduler?: boolean;
  /** Jobs running at once. */
  maxConcurrent?: number;
  /** Force a compute backend for every job (also TRAINYARD_BACKEND). */
  backend?: string;
  /** Seconds between SIGTERM and SIGKILL for a cancelled job. */
  cancelGraceMs?: number;
}

export interface CoreApp {
  api: ApiHandlers;
  events: EventSource<Events>;
  dataDir: string;
  lock: DataDirLock;
  close(): Promise<void>;
}

export async function createApp(opts: AppOptions): Promise<CoreApp> {
  const { dataDir } = opts;
  const paths = dataPaths(dataDir);
  for (const dir of [dataDir, paths.datasets, paths.models, paths.logs]) mkdirSync(dir, { recursive: true });
  const lock = acquireLock(dataDir);
  let store;
  try {
    store = openStore(paths.db);
  } catch (err) {
    lock.release();
    throw err;
  }

  const bus = new EventBus();
  const tracking = new Tracking(store);
  const datasets = new DatasetCatalog(store, dataDir);
  const backend = opts.backend ?? process.env.TRAINYARD_BACKEND ?? undefined;
  const pool = new WorkerPool({
    launcher: opts.launcher ?? forkLauncher,
    graceMs: opts.cancelGraceMs,
  });
  const maxConcurrent = opts.maxConcurrent ?? 1;
  const queue = new JobQueue({ store, bus, tracking, datasets, pool, dataDir, maxConcurrent, backend });
  if (opts.scheduler ?? true) await queue.start();

  let backends: ReturnType<typeof detectBackends> | null = null;

  const api: ApiHandlers = {
    system: {
      info: async () => {
        backends ??= detectBackends();
        const found = await backends;
        const chosen = backend ?? found.find((b) => b.available)?.name ?? 'cpu';
        return {
          version: VERSION,
          platform: platform(),
          arch: arch(),
          node: process.versions.node,
          cpus: cpus().length,
          memoryBytes: totalmem(),
          dataDir,
          backends: found,
          backend: chosen,
          workers: { max: maxConcurrent, busy: queue.busy },
        };
      },
    },
    datasets: {
      samples: async () => datasets.samples(),
      import: ({ source, name }) => datasets.import(source, name),
      list: () => datasets.list(),
      get: ({ id }) => datasets.get(id),
      preview: ({ id, limit }) => datasets.preview(id, limit),
    },
    jobs: {
      create: (input) => queue.submit(input),
      list: (input) => queue.list(input),
      get: ({ id }) => queue.get(id),
      cancel: ({ id }) => queue.cancel(id),
      retry: ({ id }) => queue.retry(id),
      logs: ({ id, afterId, limit }) => queue.logs(id, afterId, limit),
    },
    runs: {
      list: ({ limit }) => tracking.list(limit),
      get: ({ id }) => tracking.get(id),
      metrics: ({ id, keys }) => tracking.metrics(id, keys),
    },
  };

  let closing: Promise<void> | null = null;
  return {
    api,
    events: bus,
    dataDir,
    lock,
    close() {
      closing ??= (async () => {
        await queue.close();
        await store.close();
        lock.release();
      })();
      return closing;
    },
  };
}
