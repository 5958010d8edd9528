/**
 * The composition root: wires the capabilities over one data directory and returns the API the
 * faces call, the events they subscribe to, and `close`. Electron's main process, `trainyard serve`
 * and the CLI all start the core through here.
 */
import { arch, cpus, platform, totalmem } from 'node:os';
import type { ApiHandlers, Events } from '../shared/contract';
import type { EventSource } from '../shared/rpc';
import { ClusterService, clustersHandlers } from './clusters';
import { GroupRecords } from './commands';
import { backendCandidates, detectBackends, type ProbeProcess } from './compute';
import { DatasetCatalog, datasetsHandlers, type PathImports } from './datasets';
import { EventBus } from './events';
import { acquireLock, type DataDirLock } from './lock';
import { closeCoreLog, coreLog } from './log';
import { listModelFamilies } from './models';
import { MonitorHistoryStore, SystemMonitor, nvidiaSmi } from './monitor';
import { dataPaths } from './paths';
import { createPrivate, tightenModes } from './private';
import { sweepLeftovers } from './sweep';
import { JobQueue, jobsHandlers, machineCapacity, queueHandlers, type Capacity, type QueueOptions, type RetentionPolicy } from './queue';
import { registryHandlers, type SecretStore } from './registry';
import { openStore } from './store';
import { studiesHandlers } from './studies';
import { Tracking, runsHandlers } from './tracking';
import { VERSION } from './version';
import { PidRecords, WorkerPool, forkLauncher, type WorkerLauncher } from './workers';

/** A cancelled job's grace between SIGTERM and SIGKILL, where the app is not told otherwise (the pool's default too). */
const DEFAULT_CANCEL_GRACE_MS = 10_000;

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
  /** Milliseconds between SIGTERM and SIGKILL for a cancelled job (default 10 s). */
  cancelGraceMs?: number;
  /** Jobs of one kind running at once. */
  maxPerKind?: QueueOptions['maxPerKind'];
  /** What the scheduler may hand out; detected from the machine where not given. */
  capacity?: Partial<Capacity>;
  /** Minutes a queued job waits before aging raises it one priority level. */
  agingMinutes?: number;
  retention?: RetentionPolicy;
  /** A worker silent for this long is killed as hung. */
  heartbeatTimeoutMs?: number;
  /** How long a finished worker stays warm for the next job. */
  workerIdleMs?: number;
  /** How often a training job's CPU, memory and GPU use is sampled into its run (0: off). */
  systemSampleMs?: number;
  /** Which files the API may read by path: any (the user's own process, the default) or only those under given folders (`trainyard serve`). */
  pathImports?: PathImports;
  /** How the GPU probe's process starts: child_process.fork by default, a utilityProcess under Electron. */
  probeProcess?: ProbeProcess;
  /** The better-sqlite3 binary to load (the desktop app's, built for Electron's ABI); node_modules' own otherwise. */
  nativeBinding?: string;
  /** How often the live monitor samples the machine, GPUs and workers (default 2 s). */
  monitorIntervalMs?: number;
  /** Where registry credentials are kept (the desktop app: the system keychain); the 0600 credentials file otherwise. */
  secrets?: SecretStore;
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
  createPrivate([dataDir, paths.datasets, paths.models, paths.logs, paths.checkpoints, paths.workers], []);
  const lock = acquireLock(dataDir);
  tightenModes(dataDir, coreLog(dataDir, 'files'));
  createPrivate([], [paths.db]);
  let store;
  try {
    store = openStore(paths.db, { nativeBinding: opts.nativeBinding });
  } catch (err) {
    lock.release();
    closeCoreLog(dataDir);
    throw err;
  }

  const bus = new EventBus((event, err) => coreLog(dataDir, 'events')('error', 'An event subscriber failed', { event, error: err }));
  const tracking = new Tracking(store);
  const datasets = new DatasetCatalog(store, dataDir, opts.pathImports);
  const backend = opts.backend ?? process.env.TRAINYARD_BACKEND ?? undefined;
  const maxConcurrent = opts.maxConcurrent ?? 1;
  const pidRecords = new PidRecords(paths.workers);
  const scheduler = opts.scheduler ?? true;
  // Workers a killed core left behind are ended before anything new starts (only the lock holder runs jobs).
  if (scheduler) {
    pidRecords.reapOrphans();
    const commandLog = coreLog(dataDir, 'commands');
    new GroupRecords(paths.commands).reapOrphans((message, context) => commandLog('warn', message, context));
    sweepLeftovers(dataDir, coreLog(dataDir, 'files'));
  }
  const pool = new WorkerPool({
    launcher: opts.launcher ?? forkLauncher,
    graceMs: opts.cancelGraceMs,
    heartbeatTimeoutMs: opts.heartbeatTimeoutMs,
    idleMs: opts.workerIdleMs,
    maxIdle: maxConcurrent,
    pidRecords,
  });
  const clusters = new ClusterService({ store, bus, dataDir, graceMs: opts.cancelGraceMs ?? DEFAULT_CANCEL_GRACE_MS, log: coreLog(dataDir, 'clusters') });
  await clusters.load();
  const queue = new JobQueue({
    store,
    bus,
    tracking,
    datasets,
    pool,
    dataDir,
    maxConcurrent,
    maxPerKind: opts.maxPerKind,
    capacity: () => machineCapacity(opts.capacity),
    agingMinutes: opts.agingMinutes,
    retention: opts.retention,
    systemSampleMs: opts.systemSampleMs,
    backend,
    clusters,
  });
  if (scheduler) await queue.start();
  else await queue.load();

  const monitor = new SystemMonitor({
    dataDir,
    history: new MonitorHistoryStore(store.raw),
    gpus: nvidiaSmi(),
    workers: () => pool.workers(),
    runningJobs: () => queue.runningJobs(),
    onSample: (s) => bus.emit('monitor.sample', s),
    log: coreLog(dataDir, 'monitor'),
    intervalMs: opts.monitorIntervalMs,
  });
  // Only the process that runs jobs samples: a short CLI command takes one sample when asked.
  if (scheduler) monitor.start();

  let backends: ReturnType<typeof detectBackends> | null = null;

  const api: ApiHandlers = {
    system: {
      info: async () => {
        backends ??= detectBackends(backendCandidates(opts.probeProcess));
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
          workers: { max: queue.concurrencyLimit, busy: queue.busy },
        };
      },
      families: async () => listModelFamilies(),
    },
    datasets: datasetsHandlers(datasets),
    jobs: jobsHandlers(queue),
    queue: queueHandlers(queue),
    runs: runsHandlers(tracking),
    studies: studiesHandlers({ store, bus, queue, tracking, datasets, run: scheduler, log: coreLog(dataDir, 'studies') }),
    models: registryHandlers({ store, bus, tracking, datasets, pool, dataDir, secrets: opts.secrets }),
    monitor: {
      snapshot: () => monitor.snapshot(),
      history: async ({ range }) => monitor.history(range),
      job: async ({ jobId }) => {
        await api.jobs.get({ id: jobId }); // NotFound, in the job's words, for an id that is no job
        return monitor.job(jobId);
      },
    },
    clusters: clustersHandlers(clusters),
  };

  let closing: Promise<void> | null = null;
  return {
    api,
    events: bus,
    dataDir,
    lock,
    close() {
      closing ??= (async () => {
        await monitor.close();
        await queue.close();
        await tracking.close();
        clusters.close();
        await store.close();
        lock.release();
        closeCoreLog(dataDir);
      })();
      return closing;
    },
  };
}
