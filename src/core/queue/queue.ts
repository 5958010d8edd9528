/**
 * The job queue: submit, cancel, retry, set priority, pause and resume, and the scheduler that starts
 * queued jobs in effective-priority order (urgent > high > normal > low, aging included, first in first
 * out within one) while staying under the global and per-kind concurrency limits and the machine's
 * resources.
 *
 * The queue lives in SQLite; every status change goes through the lifecycle check and a
 * compare-and-set on the row, written with its transition in one transaction, so a cancel racing a
 * start never leaves two truths and a crash never leaves a half-written job. The queued jobs are also
 * mirrored in memory (ReadySet): the core is the only writer, and picking the next job should not cost
 * a table scan.
 */
import { join } from 'node:path';
import {
  JobSpec,
  PRIORITY_ORDER,
  QueueLimits,
  type Job,
  type JobCreateInput,
  type JobKind,
  type JobStatus,
  type JobTransition,
  type LogLine,
  type Priority,
  type QueueState,
  type QueueStats,
} from '../../shared/contract';
import { Conflict, InvalidInput, NotFound } from '../../shared/errors';
import { commandInvocation } from '../commands';
import { checkDataHandling } from '../data';
import type { DatasetCatalog } from '../datasets';
import type { EventBus } from '../events';
import { coreLog, type CoreLog } from '../log';
import { newId } from '../ids';
import { checkFamilyColumns, resolveParams } from '../models';
import { DEFAULT_SAMPLE_INTERVAL_MS } from '../monitor';
import { dataPaths } from '../paths';
import { JobRepository, SettingsRepository, asDiskFull, diskFull, isDiskFull, toJob, type JobRow, type NewTransition, type Store } from '../store';
import type { Tracking } from '../tracking';
import type { WorkerPool } from '../workers';
import { DEFAULT_AGING_MINUTES, effectivePriority } from './aging';
import { estimateFrom, sizeKey } from './estimates';
import { localPlacement, startJob, type ClusterPlacements, type JobOutcome, type Placement, type StartedJob } from './executors';
import { assertRetryable, assertTransition } from './lifecycle';
import { ReadySet, type ReadyEntry } from './ready-set';
import { ResourceLedger, gpuEnv, type Capacity } from './resources';
import { DEFAULT_RETENTION, sweepLogs, type RetentionPolicy } from './retention';
import { summariseStats } from './stats';

export interface QueueDeps {
  store: Store;
  bus: EventBus;
  tracking: Tracking;
  datasets: DatasetCatalog;
  pool: WorkerPool;
  dataDir: string;
  /** A backend forced for every job (the app option or TRAINYARD_BACKEND). */
  backend?: string;
  /** Cluster targets, for jobs submitted with a `cluster`; none: every job runs here. */
  clusters?: ClusterPlacements;
}

export interface QueueOptions extends QueueDeps {
  /** Jobs running at once. */
  maxConcurrent: number;
  /** Jobs of one kind running at once (e.g. { train: 1 }). */
  maxPerKind?: Partial<Record<JobKind, number>>;
  /**
   * What the machine offers. A function, called once when the queue loads: detecting GPUs asks
   * nvidia-smi, without blocking.
   */
  capacity: () => Capacity | Promise<Capacity>;
  agingMinutes?: number;
  retention?: RetentionPolicy;
  /** How often the log retention sweep runs. */
  sweepIntervalMs?: number;
  /** How often a training job's system metrics are sampled (default 5 s; 0: off). */
  systemSampleMs?: number;
}

/** An interrupted job (the app stopped while it ran) is re-queued at most this many times, or its max attempts if more. */
const MIN_INTERRUPT_REQUEUES = 3;

interface Active {
  job: Job;
  /** Its size class for duration estimates (see estimates.ts). */
  sizeKey: string;
  started: StartedJob | null;
  gpuIndices: number[];
  /** Why it is being cancelled ("cancelled by the user"), once someone asked. */
  cancelledBy: string | null;
}

export class JobQueue {
  private readonly jobs: JobRepository;
  private readonly settings: SettingsRepository;
  /** Errors the queue handles with no caller to tell (a timer, a stop) go to the core log. */
  private readonly log: CoreLog;
  private readonly ready = new ReadySet();
  private readonly active = new Map<string, Active>();
  /** Cancels that arrived between a job's start being written and its entry here (their cause). */
  private readonly pendingCancel = new Map<string, string>();
  private ledgerOnce: ResourceLedger | null = null;
  private measuring: Promise<void> | null = null;
  private agingMs: number;
  /** The limits in force: the app's options, then whatever the user saved (queue.configure). */
  private maxConcurrent: number;
  private maxPerKind: Partial<Record<JobKind, number>>;
  private paused = false;
  private pumping: Promise<void> | null = null;
  private again = false;
  private running = false;
  private closed = false;
  private wakeTimer: NodeJS.Timeout | null = null;
  private wakeAt = Infinity;
  private sweepTimer: NodeJS.Timeout | null = null;
  private stateTimer: NodeJS.Timeout | null = null;
  private agingTimer: NodeJS.Timeout | null = null;
  /** Ends being recorded now: close waits for them, so no write races the store closing. */
  private readonly settling = new Set<Promise<void>>();
  /** The last estimate written per size class, so unchanged estimates cost no write. */
  private readonly estimates = new Map<string, number>();
  /** Jobs whose retry is being submitted now (see retry). */
  private readonly retrying = new Set<string>();

  constructor(private readonly opts: QueueOptions) {
    this.log = coreLog(opts.dataDir, 'queue');
    this.jobs = new JobRepository(opts.store.db);
    this.settings = new SettingsRepository(opts.store.db);
    this.agingMs = (opts.agingMinutes ?? DEFAULT_AGING_MINUTES) * 60_000;
    this.maxConcurrent = opts.maxConcurrent;
    this.maxPerKind = { ...(opts.maxPerKind ?? {}) };
  }

  /**
   * Measures the machine (its GPUs come from nvidia-smi) on first need, not at load: a short CLI
   * command that only lists or shows jobs then never waits for nvidia-smi, which can take a second
   * on a driver without persistence mode.
   */
  private measureCapacity(): Promise<void> {
    // One measurement for callers that arrive together; a failed one is tried again by the next caller.
    this.measuring ??= Promise.resolve(this.opts.capacity()).then(
      (c) => {
        this.ledgerOnce = new ResourceLedger(c);
      },
      (err: unknown) => {
        this.measuring = null;
        throw err;
      },
    );
    return this.measuring ?? Promise.resolve();
  }

  private get ledger(): ResourceLedger {
    if (!this.ledgerOnce) throw new Error('The queue scheduled before it measured the machine (call start, or currentState)');
    return this.ledgerOnce;
  }

  private get bus(): EventBus {
    return this.opts.bus;
  }

  /** Jobs running on this machine (a cluster's jobs take no worker here). */
  get busy(): number {
    let n = 0;
    for (const a of this.active.values()) if (a.job.cluster === null) n++;
    return n;
  }

  /** The running jobs and their worker processes (null before a job's process started, or where it runs elsewhere). */
  runningJobs(): { jobId: string; pid: number | null }[] {
    return [...this.active.values()].map((a) => ({ jobId: a.job.id, pid: a.started?.task.pid ?? null }));
  }

  /**
   * Starts scheduling. Jobs a previous core left `running` (it was killed, or stopped) are re-queued
   * to resume from their last checkpoint, or failed once they have been interrupted too often.
   */
  async start(): Promise<void> {
    await this.measureCapacity();
    const running = await this.jobs.rowsByStatus('running');
    this.running = true;
    for (const row of running) {
      // A job on a cluster went on without the core: it is re-attached there, not run again.
      if (row.cluster) {
        const attached = await this.reattach(row).catch(async (err: unknown) => {
          // Not knowing whether it was submitted, running it again could run it twice: it fails, saying why.
          const why = `Could not find job ${row.id} on cluster ${row.cluster} after a restart (${this.reason(err)}); not run again, to never run it twice`;
          this.log('error', why, { jobId: row.id, cluster: row.cluster });
          await this.finish(row.id, 'failed', why, { cause: `failed: ${why}` });
          return true;
        });
        if (attached) continue;
      }
      await this.interrupted(row, 'Trainyard stopped while it ran', 'unclean');
    }
    await this.load();
    this.scheduleSweep();
    this.scheduleAgingCheck();
    this.emitState();
    void this.pump();
  }

  /** Reads the queue's state without scheduling (a short-lived CLI process that does not own the data directory's jobs). */
  async load(): Promise<void> {
    for (const row of await this.jobs.rowsByStatus('queued')) this.ready.add(entryOf(toJob(row), row.size_key));
    this.paused = (await this.settings.get('queue.paused')) === true;
    const saved = QueueLimits.safeParse((await this.settings.get('queue.limits')) ?? {});
    if (saved.success) this.applyLimits(saved.data);
  }

  /**
   * A job whose core went away while it ran goes back to the queue; its run stays open, and the job's
   * next start continues it from the last checkpoint. Only an unclean end (the core was killed, or
   * crashed) counts against the job's budget of interruptions: a clean stop (`close`, which SIGTERM
   * calls) is the user's choice and may happen any number of times.
   */
  private async interrupted(row: JobRow, why: string, how: 'clean' | 'unclean'): Promise<void> {
    const job = toJob(row);
    const counts = how === 'unclean';
    const limit = Math.max(MIN_INTERRUPT_REQUEUES, job.retryPolicy.maxAttempts);
    if (counts && row.crashes >= limit) {
      await this.finish(job.id, 'failed', `Interrupted ${row.crashes + 1} times (${why}); not re-queued again`, { cause: `interrupted: ${why}` });
      return;
    }
    const requeued = await this.jobs.transitionWithRecord(
      job.id,
      'running',
      { to: 'queued', ts: Date.now(), cause: `interrupted: ${why}; re-queued to resume from its last checkpoint` },
      { ...(counts ? { crashes: row.crashes + 1 } : {}), progress_step: null, eta_ms: null, gpu_indices: '[]' },
    );
    if (requeued) {
      await this.jobs.appendLogs([{ jobId: job.id, ts: Date.now(), level: 'warn', message: `Interrupted (${why}); re-queued, will resume from its last checkpoint` }]);
      this.emitJob(requeued.job);
      this.bus.emit('job.transition', requeued.transition);
    }
  }

  async submit(input: JobCreateInput & { priority: Priority }, retryOf?: Job): Promise<Job> {
    const spec = JobSpec.parse(input.spec);
    // The space held back for recording failures could not be taken back: the disk is still full.
    if (!this.opts.store.reserve.keep()) throw diskFull(this.opts.dataDir);
    const resources = { gpus: 0, cpuSlots: 1, memoryMB: 512, ...input.resources };
    const retryPolicy = { maxAttempts: 1, backoffMs: 5000, ...input.retryPolicy };
    const after = [...new Set(input.after ?? [])];
    if (input.cluster !== undefined) await this.clusters().check(input.cluster);
    else await this.measureCapacity();
    // A cluster's own scheduler decides whether a job fits there; this machine's size does not matter.
    const never = input.cluster === undefined ? this.ledger.neverFits(resources) : null;
    if (never) throw new InvalidInput(`This job can never run here: ${never}`, `resources.${never.includes('GPU') ? 'gpus' : never.includes('CPU') ? 'cpuSlots' : 'memoryMB'}`);
    const rows = await this.validate(spec);
    const known = await this.jobs.statuses(after);
    const missing = after.find((id) => !known.has(id));
    if (missing) throw new InvalidInput(`Job ${missing} (in --after) was not found`, 'after');
    const key = sizeKey(spec, rows);
    const estimateMs = this.estimates.get(`${spec.kind}|${key}`) ?? estimateFrom(await this.jobs.durationSample(spec.kind, key));
    const job = await this.jobs.insert({
      id: newId(),
      spec,
      priority: input.priority,
      resources,
      retryPolicy,
      after,
      attempt: retryOf ? retryOf.attempt + 1 : 1,
      retryOf: retryOf?.id ?? null,
      sizeKey: key,
      estimateMs,
      createdAt: Date.now(),
      cluster: input.cluster ?? null,
    });
    this.ready.add(entryOf(job, key));
    this.emitJob(job);
    void this.pump();
    return this.decorate(job);
  }

  /** Refuses at submit what could only fail later: an unknown dataset, a missing column, bad params. Returns the dataset's rows. */
  private async validate(spec: JobSpec): Promise<number> {
    if (spec.kind === 'noop') return 0;
    if (spec.kind === 'command') {
      commandInvocation(spec); // throws InvalidInput naming the argument whose {param} is not set
      return 0;
    }
    const dataset = await this.opts.datasets.get(spec.datasetId).catch((err: unknown) => {
      if (err instanceof NotFound) throw new InvalidInput(`Dataset ${spec.datasetId} was not found`, 'spec.datasetId');
      throw err;
    });
    const names = dataset.columns.map((c) => c.name);
    for (const [field, col] of [['spec.target', spec.target], ...spec.exogenous.map((c, i) => [`spec.exogenous.${i}`, c]), ...(spec.labelColumn ? [['spec.labelColumn', spec.labelColumn]] : [])] as [string, string][]) {
      const column = dataset.columns.find((c) => c.name === col);
      if (!column) throw new InvalidInput(`Column ${JSON.stringify(col)} is not in dataset ${dataset.name} (columns: ${names.join(', ')})`, field);
      if (column.type !== 'number') throw new InvalidInput(`Column ${JSON.stringify(col)} holds ${column.type} values; it must be numeric`, field);
    }
    checkFamilyColumns(spec);
    resolveParams(spec.model, spec.params); // throws InvalidInput naming `params.<key>`
    checkDataHandling(spec.data, dataset, 'spec.data');
    return dataset.rows;
  }

  async get(id: string): Promise<Job> {
    const job = await this.jobs.get(id);
    if (!job) throw new NotFound('Job', id);
    return this.decorate(job);
  }

  async list(opts: { status?: JobStatus; priority?: Priority; kind?: JobKind; limit: number }): Promise<Job[]> {
    return (await this.jobs.list(opts)).map((j) => this.decorate(j));
  }

  async logs(id: string, afterId: number, limit: number): Promise<LogLine[]> {
    await this.get(id);
    return this.jobs.logs(id, afterId, limit);
  }

  async transitions(id: string): Promise<JobTransition[]> {
    await this.get(id);
    return this.jobs.transitions(id);
  }

  /**
   * A queued job's effective priority includes aging; running and finished jobs keep their own. A
   * queue that was only loaded (a command run with no Trainyard serving the data directory: it holds
   * the lock, so no other core does) runs nothing: a job the store says is running lost its core, and
   * says so, with no ETA, until Trainyard starts again and re-queues it.
   */
  private decorate(job: Job): Job {
    if (job.status === 'running' && !this.running) return { ...job, ownerRunning: false, progress: { ...job.progress, etaMs: null } };
    if (job.status !== 'queued') return job;
    return { ...job, effectivePriority: effectivePriority(job.priority, Date.now() - job.createdAt, this.agingMs) };
  }

  /**
   * Cancels a queued or running job. `by` says who asked ("the user", "the study"); `why`, when given,
   * replaces the recorded cause ("pruned by the study").
   */
  async cancel(id: string, by = 'the user', why?: string): Promise<Job> {
    const job = await this.get(id);
    assertTransition(id, job.status, 'cancelled');
    const cause = why ?? `cancelled by ${by}`;
    if (job.status === 'queued') {
      const done = await this.finish(id, 'cancelled', `${capitalise(cause)} before it started`, { from: 'queued', cause });
      if (done) return this.decorate(done);
      return this.cancel(id, by, why); // it started meanwhile: cancel the running job instead
    }
    const active = this.active.get(id);
    if (!active) {
      // Its row says running but its start is still being written: the start applies the cancel.
      this.pendingCancel.set(id, cause);
    } else if (!active.cancelledBy) {
      active.cancelledBy = cause;
      if (active.started) {
        active.started.log('warn', `${capitalise(cause)}: stopping the job`);
        active.started.task.cancel();
      }
    }
    return this.get(id);
  }

  async retry(id: string): Promise<Job> {
    const job = await this.get(id);
    assertRetryable(id, job.status);
    // One retry per job: a second click (or a second window) would start a duplicate attempt.
    // The set covers two calls racing between the check and the insert.
    if (this.retrying.has(id)) throw new Conflict(`Job ${id} is being retried already`);
    this.retrying.add(id);
    try {
      const existing = await this.jobs.retryOf(id);
      if (existing) throw new Conflict(`Job ${id} was already retried as job ${existing}; retry that one instead`);
      return await this.submit(
        { spec: job.spec, priority: job.priority, resources: job.resources, retryPolicy: job.retryPolicy, after: [], ...(job.cluster ? { cluster: job.cluster } : {}) },
        job,
      );
    } finally {
      this.retrying.delete(id);
    }
  }

  async setPriority(id: string, priority: Priority): Promise<Job> {
    const job = await this.get(id);
    if (job.status !== 'queued') throw new Conflict(`Job ${id} is ${job.status}; only a queued job's priority can change`);
    const rank = PRIORITY_ORDER.indexOf(priority);
    const updated = await this.jobs.update(id, { priority, priority_rank: rank }, 'queued');
    if (!updated) return this.setPriority(id, priority); // it started meanwhile: say so
    const entry = this.ready.remove(id);
    if (entry) this.ready.add({ ...entry, rank });
    this.emitJob(updated);
    void this.pump();
    return this.decorate(updated);
  }

  /** Changes the limits now and saves them: a lower limit stops new starts, running jobs go on. */
  async configure(limits: QueueLimits): Promise<QueueState> {
    const saved = QueueLimits.safeParse((await this.settings.get('queue.limits')) ?? {});
    const merged: QueueLimits = {
      ...(saved.success ? saved.data : {}),
      ...limits,
      maxPerKind: { ...((saved.success && saved.data.maxPerKind) || {}), ...(limits.maxPerKind ?? {}) },
    };
    await this.settings.set('queue.limits', merged);
    this.applyLimits(merged);
    void this.pump();
    return this.announceState();
  }

  private applyLimits(l: QueueLimits): void {
    if (l.maxConcurrent !== undefined) this.maxConcurrent = l.maxConcurrent;
    for (const [kind, n] of Object.entries(l.maxPerKind ?? {}) as [JobKind, number | null][]) {
      if (n === null) delete this.maxPerKind[kind];
      else this.maxPerKind[kind] = n;
    }
    if (l.agingMinutes !== undefined && l.agingMinutes * 60_000 !== this.agingMs) {
      this.agingMs = l.agingMinutes * 60_000;
      if (this.agingTimer) {
        clearInterval(this.agingTimer);
        this.agingTimer = null;
        this.scheduleAgingCheck();
      }
    }
  }

  async pause(): Promise<QueueState> {
    this.paused = true;
    await this.settings.set('queue.paused', true);
    return this.announceState();
  }

  async resume(): Promise<QueueState> {
    this.paused = false;
    await this.settings.set('queue.paused', false);
    void this.pump();
    return this.announceState();
  }

  /** The concurrency limit in force. */
  get concurrencyLimit(): number {
    return this.maxConcurrent;
  }

  /** The queue's state, with the machine's capacity measured first if nothing has needed it yet. */
  async currentState(): Promise<QueueState> {
    await this.measureCapacity();
    return this.state();
  }

  /** The queue's state; the capacity must have been measured (start, a local submit, or currentState). */
  state(): QueueState {
    return {
      paused: this.paused,
      maxConcurrent: this.maxConcurrent,
      running: this.active.size,
      queued: this.ready.size,
      capacity: { gpus: this.ledger.capacity.gpus, cpuSlots: this.ledger.capacity.cpuSlots, memoryMB: this.ledger.capacity.memoryMB },
      inUse: this.ledger.inUse(),
      agingMinutes: this.agingMs / 60_000,
      maxPerKind: Object.fromEntries(Object.entries(this.maxPerKind).filter(([, v]) => v !== undefined)) as Record<string, number>,
    };
  }

  async stats(): Promise<QueueStats> {
    return summariseStats(await this.jobs.stats(Date.now() - 3600_000));
  }

  private emitState(): QueueState {
    const s = this.state();
    this.bus.emit('queue.updated', s);
    return s;
  }

  /** emitState for calls that may come before anything measured the machine (a CLI's pause or configure). */
  private async announceState(): Promise<QueueState> {
    await this.measureCapacity();
    return this.emitState();
  }

  /** Announces the queue's counts after starts and ends, at most every 250 ms (a drain of thousands stays quiet). */
  private stateChanged(): void {
    if (this.stateTimer) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = null;
      if (!this.closed) this.emitState();
    }, 250);
  }

  /**
   * A job finished: what it took is the newest sample for its size class, so jobs of that class still
   * waiting get the new estimate (one indexed UPDATE, only when the estimate moved by 10% or more).
   */
  private async learnDuration(kind: JobKind, sizeKey: string): Promise<void> {
    const estimate = estimateFrom(await this.jobs.durationSample(kind, sizeKey));
    if (estimate === null) return;
    const key = `${kind}|${sizeKey}`;
    const last = this.estimates.get(key);
    if (last !== undefined && Math.abs(estimate - last) < 0.1 * last) return;
    this.estimates.set(key, estimate);
    await this.jobs.setQueuedEstimate(kind, sizeKey, estimate);
  }

  private emitJob(job: Job): void {
    this.bus.emit('job.updated', this.decorate(job));
  }

  /** Starts queued jobs while there is room. Re-entrant calls coalesce into one more pass. */
  private async pump(): Promise<void> {
    if (!this.running || this.closed || this.paused) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        let next: ReadyEntry | null;
        while (!this.closed && !this.paused && (next = await this.pick())) {
          await this.launch(next);
        }
      } while (this.again && !this.closed);
    })();
    try {
      await this.pumping;
    } finally {
      this.pumping = null;
    }
  }

  /** The first queued job, in scheduling order, that may start now; settles jobs whose dependencies failed. */
  private async pick(): Promise<ReadyEntry | null> {
    const now = Date.now();
    const running = this.runningByKind();
    const onClusters = this.inFlightByCluster();
    const localFull = this.active.size - [...onClusters.values()].reduce((a, b) => a + b, 0) >= this.maxConcurrent;
    // GPUs are reserved for the first waiting job that needs more than are free: later GPU jobs do not
    // jump ahead of it, or a stream of 1-GPU jobs could keep a 2-GPU job waiting forever. CPU-only jobs
    // still start (they hold no GPU it waits for).
    let gpusReserved = false;
    for (const e of this.ready.ordered(now, this.agingMs)) {
      if (e.notBefore !== null && e.notBefore > now) {
        this.wakeUpAt(e.notBefore);
        continue;
      }
      if (e.after.length > 0) {
        const statuses = await this.jobs.statuses(e.after);
        const broken = e.after.find((id) => ['failed', 'cancelled'].includes(statuses.get(id) ?? 'failed'));
        if (broken) {
          const how = statuses.get(broken) ?? 'missing';
          await this.finish(e.id, 'cancelled', `Dependency ${broken} ${how === 'missing' ? 'no longer exists' : `was ${how}`}; this job will not run`, { from: 'queued', cause: `dependency ${broken} ${how}` });
          return this.pick();
        }
        if (!e.after.every((id) => statuses.get(id) === 'completed')) continue;
      }
      // A cluster job takes no slot here: only its cluster's limit on jobs in flight holds it back.
      if (e.cluster !== null) {
        if ((onClusters.get(e.cluster) ?? 0) < this.clusters().limitOf(e.cluster)) return e;
        continue;
      }
      if (localFull) continue;
      if (e.resources.gpus > 0 && gpusReserved) continue;
      if (!this.ledger.fitsNow(e.resources)) {
        if (e.resources.gpus > 0) gpusReserved = true;
        continue;
      }
      const limit = this.maxPerKind[e.kind];
      if (limit !== undefined && (running.get(e.kind) ?? 0) >= limit) continue;
      return e;
    }
    return null;
  }

  private runningByKind(): Map<JobKind, number> {
    const m = new Map<JobKind, number>();
    for (const a of this.active.values()) if (a.job.cluster === null) m.set(a.job.kind, (m.get(a.job.kind) ?? 0) + 1);
    return m;
  }

  private inFlightByCluster(): Map<string, number> {
    const m = new Map<string, number>();
    for (const a of this.active.values()) if (a.job.cluster !== null) m.set(a.job.cluster, (m.get(a.job.cluster) ?? 0) + 1);
    return m;
  }

  private clusters(): ClusterPlacements {
    if (!this.opts.clusters) throw new InvalidInput('This Trainyard runs jobs on this machine only: it has no cluster targets', 'cluster');
    return this.opts.clusters;
  }

  /**
   * A cluster job found running at start: its executor takes it up again on the cluster (tailing
   * its output from the start, its run continued). False when the cluster holds nothing for it.
   */
  private async reattach(row: JobRow): Promise<boolean> {
    const job = toJob(row);
    const placement = await this.clusters().placement(job, { attach: true });
    if (!placement) return false;
    const active: Active = { job, sizeKey: row.size_key, started: null, gpuIndices: [], cancelledBy: null };
    this.active.set(job.id, active);
    await this.begin(active, placement);
    return true;
  }

  /** Sets a timer for the earliest retry backoff that ends. */
  private wakeUpAt(t: number): void {
    if (t >= this.wakeAt) return;
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeAt = t;
    this.wakeTimer = setTimeout(() => {
      this.wakeTimer = null;
      this.wakeAt = Infinity;
      void this.pump();
    }, Math.max(0, t - Date.now()));
  }

  private async launch(entry: ReadyEntry): Promise<void> {
    this.ready.remove(entry.id);
    const gpuIndices = entry.cluster === null ? this.ledger.acquire(entry.resources) : [];
    const started = await this.jobs.transitionWithRecord(
      entry.id,
      'queued',
      { to: 'running', ts: Date.now(), cause: gpuIndices.length ? `started on GPU ${gpuIndices.join(', ')}` : 'started' },
      { started_at: Date.now(), finished_at: null, progress_step: 'start', progress_fraction: 0, gpu_indices: JSON.stringify(gpuIndices), not_before: null, error: null },
    );
    const job = started?.job;
    if (!job) {
      if (entry.cluster === null) this.ledger.release(entry.resources, gpuIndices); // cancelled between the read and the write
      return;
    }
    this.stateChanged();
    const active: Active = { job, sizeKey: entry.sizeKey, started: null, gpuIndices, cancelledBy: this.pendingCancel.get(job.id) ?? null };
    this.pendingCancel.delete(job.id);
    this.active.set(job.id, active);
    this.emitJob(job);
    // Every step of the lifecycle is an event, so an open timeline shows queued → running as it happens.
    this.bus.emit('job.transition', started.transition);
    let placement: Placement | null;
    try {
      placement = job.cluster === null ? localPlacement(this.opts.pool, gpuEnv(gpuIndices)) : await this.clusters().placement(job, { attach: false });
    } catch (err) {
      await this.settle(active, { status: 'failed', error: this.reason(err) });
      return;
    }
    if (!placement) {
      await this.settle(active, { status: 'failed', error: `Cluster ${job.cluster} could not take job ${job.id}` });
      return;
    }
    await this.begin(active, placement);
  }

  /** Starts the job's executor on its placement and records its end when it comes. */
  private async begin(active: Active, placement: Placement): Promise<void> {
    const { job } = active;
    let started: StartedJob;
    try {
      started = await startJob(job, {
        ...this.opts,
        env: gpuEnv(active.gpuIndices),
        checkpointDir: join(dataPaths(this.opts.dataDir).checkpoints, job.id),
        closing: () => this.closed,
        systemSampleMs: this.opts.systemSampleMs ?? DEFAULT_SAMPLE_INTERVAL_MS,
        placement,
      });
    } catch (err) {
      await this.settle(active, { status: 'failed', error: this.reason(err) });
      return;
    }
    active.started = started;
    if (active.cancelledBy) {
      started.log('warn', `${capitalise(active.cancelledBy)}: stopping the job`);
      started.task.cancel();
    }
    if (started.runId) {
      const linked = await this.jobs.update(job.id, { run_id: started.runId }, 'running');
      if (linked) this.emitJob(linked);
    }
    const settling = started.outcome
      .catch((err: unknown): JobOutcome => ({ status: 'failed', error: this.reason(err) }))
      .then((outcome) => this.settle(active, outcome))
      .catch((err: unknown) => this.log('error', `Could not record how job ${job.id} ended`, { jobId: job.id, error: this.reason(err) }));
    this.settling.add(settling);
    void settling.finally(() => this.settling.delete(settling));
  }

  /** A running job ended: record how, free its resources, maybe retry it, and start what can start. */
  private async settle(active: Active, outcome: JobOutcome): Promise<void> {
    const { job } = active;
    this.active.delete(job.id);
    if (job.cluster === null) this.ledger.release(job.resources, active.gpuIndices);
    // While closing, only a job that really completed is recorded as such; the others were stopped by
    // the close itself and go back to the queue (see `close`).
    if (this.closed && outcome.status !== 'completed') return;
    const exit = (outcome.status === 'completed' || outcome.status === 'cancelled') && outcome.exit ? { exitCode: outcome.exit.code, signal: outcome.exit.signal } : {};
    if (outcome.status === 'completed') {
      await this.finish(job.id, 'completed', null, { cause: 'completed', ...exit });
      await this.learnDuration(job.kind, active.sizeKey);
    } else if (outcome.status === 'cancelled' || active.cancelledBy) {
      const cause = active.cancelledBy ?? (outcome.status === 'cancelled' ? outcome.cause : undefined) ?? 'cancelled by the user';
      await this.finish(job.id, 'cancelled', capitalise(cause), { cause, ...exit });
    } else if (outcome.status === 'requeued') {
      const row = await this.jobs.getRow(job.id);
      if (row) await this.interrupted(row, outcome.cause, 'unclean');
      const back = await this.jobs.getRow(job.id);
      if (back?.status === 'queued') this.ready.add(entryOf(toJob(back), back.size_key));
    } else {
      await this.failed(active, outcome);
    }
    this.stateChanged();
    void this.pump();
  }

  /** An error's message, the one clear full-disk message where the disk is full. */
  private reason(err: unknown): string {
    const mapped = asDiskFull(err, this.opts.dataDir);
    return mapped instanceof Error ? mapped.message : String(mapped);
  }

  /** A failure: a crash is retried per the job's policy, with backoff; anything else fails the job. */
  private async failed({ job, sizeKey }: Active, failure: Extract<JobOutcome, { status: 'failed' }>): Promise<void> {
    // A worker that failed on a full disk (ENOSPC writing a checkpoint) says so in the core's words.
    const outcome = isDiskFull(new Error(failure.error)) ? { ...failure, error: diskFull(this.opts.dataDir).message, crash: undefined } : failure;
    const crash = outcome.crash;
    const detail: Pick<NewTransition, 'exitCode' | 'signal' | 'logTail'> = crash ? { exitCode: crash.code, signal: crash.signal, logTail: crash.tail } : {};
    const row = await this.jobs.getRow(job.id);
    const crashes = (row?.crashes ?? 0) + 1;
    if (crash && crashes < job.retryPolicy.maxAttempts) {
      const delay = job.retryPolicy.backoffMs * 2 ** (crashes - 1);
      const now = Date.now();
      const notBefore = now + delay;
      const message = `${outcome.error}. Retrying automatically (attempt ${crashes + 1} of ${job.retryPolicy.maxAttempts}) in ${Math.round(delay / 1000)} s`;
      await this.jobs.appendLogs([{ jobId: job.id, ts: Date.now(), level: 'warn', message }]);
      const requeued = await this.jobs.transitionWithRecord(
        job.id,
        'running',
        { to: 'queued', ts: now, cause: `crashed: ${outcome.error}; automatic retry ${crashes + 1} of ${job.retryPolicy.maxAttempts}`, ...detail },
        { crashes, not_before: notBefore, progress_step: null, eta_ms: null, gpu_indices: '[]', error: outcome.error },
      );
      if (requeued) {
        this.ready.add(entryOf(requeued.job, sizeKey));
        this.emitJob(requeued.job);
        this.bus.emit('job.transition', requeued.transition);
      }
      return;
    }
    await this.finish(job.id, 'failed', outcome.error, { cause: crash ? `crashed: ${outcome.error}` : `failed: ${outcome.error}`, ...detail, crashes: crash ? crashes : undefined });
  }

  /** Records how a job ended: the one place a job reaches a final status. */
  private async finish(
    id: string,
    status: 'completed' | 'failed' | 'cancelled',
    error: string | null,
    t: { cause: string; from?: JobStatus; exitCode?: number | null; signal?: string | null; logTail?: string[]; crashes?: number },
  ): Promise<Job | undefined> {
    const from = t.from ?? 'running';
    assertTransition(id, from, status);
    const change = {
      error,
      finished_at: Date.now(),
      eta_ms: null,
      ...(t.crashes !== undefined ? { crashes: t.crashes } : {}),
      ...(status === 'completed' ? { progress_fraction: 1, progress_step: 'done' } : {}),
    };
    const record = () => this.jobs.transitionWithRecord(id, from, { to: status, ts: Date.now(), cause: t.cause, exitCode: t.exitCode, signal: t.signal, logTail: t.logTail }, change);
    const done = await record().catch((err: unknown) => {
      if (!isDiskFull(err)) throw err;
      return this.whenRoom(`recording job ${id} as ${status}`, record);
    });
    if (!done) return undefined;
    await this.closeRun(done.job, status);
    this.ready.remove(id);
    this.emitJob(done.job);
    this.bus.emit('job.transition', done.transition);
    return done.job;
  }

  /**
   * An interrupted job's run stays open for its next start; a job that ends without that start (it
   * was cancelled while queued, or failed for being interrupted too often) ends its run the same way.
   * Never leave a run `running` that nothing will finish.
   */
  private async closeRun(job: Job, status: 'completed' | 'failed' | 'cancelled'): Promise<void> {
    if (!job.runId || status === 'completed') return;
    const run = await this.opts.tracking.get(job.runId).catch(() => null);
    if (run?.status === 'running') await this.opts.tracking.finishRun(job.runId, { status });
  }

  /**
   * Retries a write that met a full disk: at once (the store has just freed its reserve), then every
   * second until there is room or the queue closes. The job's end is recorded late, never lost.
   */
  private async whenRoom<T>(what: string, write: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await write();
      } catch (err) {
        if (!isDiskFull(err) || this.closed) throw err;
        if (attempt === 0) this.log('error', `The disk holding ${this.opts.dataDir} is full; retrying ${what} until there is room`, { error: this.reason(err) });
        await new Promise((r) => setTimeout(r, attempt === 0 ? 0 : 1000));
      }
    }
  }

  /**
   * Aging changes a waiting job's effective priority with no write: a periodic check announces each
   * boost as a `job.updated`, so the UI shows "boosted" when it happens, not at its next read.
   */
  private scheduleAgingCheck(): void {
    if (this.agingMs <= 0) return;
    const every = Math.min(60_000, Math.max(1000, this.agingMs / 4));
    this.agingTimer = setInterval(() => {
      if (this.closed) return;
      void (async () => {
        for (const e of this.ready.boosted(Date.now(), this.agingMs)) {
          const job = await this.jobs.get(e.id);
          if (job?.status === 'queued') this.emitJob(job);
        }
      })().catch((err: unknown) => this.log('warn', 'The aging check could not read the queue', { error: err }));
    }, every);
    this.agingTimer.unref?.();
  }

  private scheduleSweep(): void {
    const retention = this.opts.retention ?? DEFAULT_RETENTION;
    const run = () => void sweepLogs(this.jobs, retention).catch((err: unknown) => this.log('error', 'Old job logs could not be swept', { retention, error: err }));
    run();
    this.sweepTimer = setInterval(run, this.opts.sweepIntervalMs ?? 3600_000);
    this.sweepTimer.unref?.();
  }

  /**
   * Stops scheduling and ends running workers. Their jobs go back to the queue, to resume from their
   * last checkpoint when Trainyard starts again.
   */
  async close(): Promise<void> {
    this.closed = true;
    // A start in progress finishes its writes first; its failure was the scheduler's to record.
    await this.pumping?.catch((err: unknown) => this.log('error', 'A job start failed while Trainyard was stopping', { error: err }));
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    if (this.stateTimer) clearTimeout(this.stateTimer);
    if (this.agingTimer) clearInterval(this.agingTimer);
    const actives = [...this.active.values()];
    // Tasks outside the pool, killed once each: a cluster job goes on without Trainyard (its task only
    // stops following it; the next start re-attaches), a command job's process group is ended by its executor.
    for (const a of actives) if (a.job.cluster !== null || a.job.kind === 'command') a.started?.task.kill();
    await this.opts.pool.closeAll();
    await Promise.allSettled(actives.map((a) => a.started?.outcome));
    await Promise.allSettled([...this.settling]); // ends being recorded finish their writes
    for (const a of actives) {
      const row = await this.jobs.getRow(a.job.id).catch((err: unknown) => {
        this.log('error', 'A running job could not be read while Trainyard was stopping; it is recovered at the next start', { jobId: a.job.id, error: err });
        return undefined;
      });
      if (row?.status === 'running' && row.cluster === null) {
        await this.interrupted(row, 'Trainyard was stopped', 'clean').catch((err: unknown) =>
          this.log('error', 'A running job could not be re-queued while Trainyard was stopping; it is recovered at the next start', { jobId: a.job.id, error: err }),
        );
      }
    }
    this.active.clear();
  }
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

function entryOf(job: Job, sizeKey: string): ReadyEntry {
  const { id, kind, createdAt, resources, after, notBefore, cluster } = job;
  return { id, kind, rank: PRIORITY_ORDER.indexOf(job.priority), createdAt, resources, after, notBefore, sizeKey, cluster };
}

