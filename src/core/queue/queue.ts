/**
 * The job queue: submit, cancel, retry, and the scheduler that starts queued jobs in priority order
 * (urgent > high > normal > low, first in first out within one) while staying under the concurrency
 * limit. The queue lives in SQLite; every status change goes through the lifecycle check and a
 * compare-and-set on the row, so a cancel racing a start never leaves two truths.
 */
import { TrainSpec, type Job, type JobStatus, type LogLine, type Priority } from '../../shared/contract';
import { InvalidInput, NotFound } from '../../shared/errors';
import type { DatasetCatalog } from '../datasets';
import type { EventBus } from '../events';
import { newId } from '../ids';
import { resolveParams } from '../models';
import { JobRepository } from '../store';
import type { Tracking } from '../tracking';
import { assertRetryable, assertTransition } from './lifecycle';
import { startTrainJob, type StartedTrainJob, type TrainJobDeps } from './train-job';

export interface QueueOptions extends TrainJobDeps {
  /** Jobs running at once. */
  maxConcurrent: number;
}

export class JobQueue {
  private readonly jobs: JobRepository;
  private readonly active = new Map<string, StartedTrainJob | null>();
  /** Cancels that arrived while their job was still starting: applied once its worker exists. */
  private readonly pendingCancel = new Set<string>();
  private pumping = false;
  private again = false;
  private running = false;
  private closed = false;

  constructor(private readonly opts: QueueOptions) {
    this.jobs = new JobRepository(opts.store.db);
  }

  private get bus(): EventBus {
    return this.opts.bus;
  }
  private get datasets(): DatasetCatalog {
    return this.opts.datasets;
  }
  private get tracking(): Tracking {
    return this.opts.tracking;
  }

  get busy(): number {
    return this.active.size;
  }

  /** Starts scheduling. Jobs left `running` by a Trainyard that stopped are settled first. */
  async start(): Promise<void> {
    for (const id of await this.jobs.idsByStatus('running')) {
      await this.end(id, 'failed', 'Interrupted: Trainyard stopped while this job was running. Retry it to run it again.');
    }
    this.running = true;
    void this.pump();
  }

  async submit(input: { spec: TrainSpec; priority: Priority }, retryOf?: Job): Promise<Job> {
    const spec = TrainSpec.parse(input.spec);
    await this.validate(spec);
    const job = await this.jobs.insert({
      id: newId(),
      spec,
      priority: input.priority,
      attempt: retryOf ? retryOf.attempt + 1 : 1,
      retryOf: retryOf?.id ?? null,
      createdAt: Date.now(),
    });
    this.bus.emit('job.updated', job);
    void this.pump();
    return job;
  }

  /** Refuses at submit what could only fail later: an unknown dataset, a missing column, bad params. */
  private async validate(spec: TrainSpec): Promise<void> {
    const dataset = await this.datasets.get(spec.datasetId).catch((err: unknown) => {
      if (err instanceof NotFound) throw new InvalidInput(`Dataset ${spec.datasetId} was not found`, 'spec.datasetId');
      throw err;
    });
    const column = dataset.columns.find((c) => c.name === spec.target);
    if (!column) {
      const names = dataset.columns.map((c) => c.name).join(', ');
      throw new InvalidInput(`Column ${JSON.stringify(spec.target)} is not in dataset ${dataset.name} (columns: ${names})`, 'spec.target');
    }
    if (column.type !== 'number') {
      throw new InvalidInput(`Column ${JSON.stringify(spec.target)} holds ${column.type} values; a forecast target must be numeric`, 'spec.target');
    }
    resolveParams(spec.model, spec.params); // throws InvalidInput naming `params.<key>`
  }

  async get(id: string): Promise<Job> {
    const job = await this.jobs.get(id);
    if (!job) throw new NotFound('Job', id);
    return job;
  }

  list(opts: { status?: JobStatus; limit: number }): Promise<Job[]> {
    return this.jobs.list(opts);
  }

  async logs(id: string, afterId: number, limit: number): Promise<LogLine[]> {
    await this.get(id);
    return this.jobs.logs(id, afterId, limit);
  }

  async cancel(id: string): Promise<Job> {
    const job = await this.get(id);
    assertTransition(id, job.status, 'cancelled');
    if (job.status === 'queued') {
      const done = await this.end(id, 'cancelled', 'Cancelled by the user before it started', 'queued');
      if (done) return done;
      return this.cancel(id); // it started meanwhile: cancel the running job instead
    }
    const started = this.active.get(id);
    if (started?.task) {
      started.reporter.log('warn', 'Cancel requested: stopping the job');
      started.task.cancel();
    } else {
      this.pendingCancel.add(id);
    }
    return this.get(id);
  }

  async retry(id: string): Promise<Job> {
    const job = await this.get(id);
    assertRetryable(id, job.status);
    return this.submit({ spec: job.spec, priority: job.priority }, job);
  }

  /** Starts queued jobs while there is room. Re-entrant calls coalesce into one more pass. */
  private async pump(): Promise<void> {
    if (!this.running || this.closed) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (this.active.size < this.opts.maxConcurrent && !this.closed) {
          const next = await this.jobs.nextQueued();
          if (!next) break;
          await this.launch(next);
        }
      } while (this.again && !this.closed);
    } finally {
      this.pumping = false;
    }
  }

  private async launch(job: Job): Promise<void> {
    assertTransition(job.id, job.status, 'running');
    const started = await this.jobs.update(job.id, { status: 'running', started_at: Date.now(), progress_step: 'load', progress_fraction: 0 }, 'queued');
    if (!started) return; // cancelled between the read and the write
    this.active.set(job.id, null);
    this.bus.emit('job.updated', started);
    let run: StartedTrainJob;
    try {
      run = await startTrainJob(started, this.opts);
    } catch (err) {
      this.active.delete(job.id);
      this.pendingCancel.delete(job.id);
      await this.end(job.id, 'failed', err instanceof Error ? err.message : String(err));
      return;
    }
    this.active.set(job.id, run);
    if (this.pendingCancel.delete(job.id)) {
      run.reporter.log('warn', 'Cancel requested: stopping the job');
      run.task?.cancel();
    }
    const linked = await this.jobs.update(job.id, { run_id: run.runId }, 'running');
    if (linked) this.bus.emit('job.updated', linked);
    void run.outcome.then(async (outcome) => {
      this.active.delete(job.id);
      if (this.closed) return;
      await this.end(job.id, outcome.status, outcome.status === 'completed' ? null : outcome.error);
      void this.pump();
    });
  }

  /** Records how a job ended: the one place a job reaches a final status. */
  private async end(id: string, status: 'completed' | 'failed' | 'cancelled', error: string | null, from: JobStatus = 'running'): Promise<Job | undefined> {
    assertTransition(id, from, status);
    const change = {
      status,
      error,
      finished_at: Date.now(),
      eta_ms: null,
      ...(status === 'completed' ? { progress_fraction: 1, progress_step: 'done' } : {}),
    };
    const job = await this.jobs.update(id, change, from);
    if (job) this.bus.emit('job.updated', job);
    return job;
  }

  /** Stops scheduling and ends running workers; their jobs are settled as interrupted on next start. */
  async close(): Promise<void> {
    this.closed = true;
    const ids = [...this.active.keys()];
    const runs = [...this.active.values()].filter((r): r is StartedTrainJob => r !== null);
    await this.opts.pool.closeAll();
    await Promise.allSettled(runs.map((r) => r.outcome));
    for (const id of ids) {
      await this.end(id, 'failed', 'Interrupted: Trainyard was stopped while this job was running. Retry it to run it again.').catch(() => undefined);
    }
    this.active.clear();
  }
}
