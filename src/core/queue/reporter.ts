/**
 * Turns a worker's running commentary into rows and events. Log lines and metric points are
 * buffered and written in one transaction every `flushMs` (one writer, few commits: SQLite stays fast
 * however chatty a job is); events go out after the rows exist, so a subscriber that reads back
 * finds what it was told about. Progress updates the job row at most every `flushMs`.
 *
 * What is in flight when Trainyard stops: a clean stop (close, SIGTERM) writes the pending batch
 * before the store closes. A kill (SIGKILL, a crash of the core) loses what was buffered: at most the
 * last FLUSH_INTERVAL_MS of points and log lines the core had received (plus the batch being
 * committed at that instant, if the kill lands inside its commit).
 *
 * A continued run (the job's new start after an interruption) re-reports the epochs after its
 * checkpoint: the first point of each series in this start supersedes that series' points from
 * the same step on, so every step is in the series once.
 */
import type { Job, JobProgress, LogLevel } from '../../shared/contract';
import type { EventBus } from '../events';
import type { CoreLog } from '../log';
import { JobRepository, RunRepository, type Store } from '../store';
import type { MetricRow } from '../tracking';
import type { WorkerEvent } from '../workers';

/** How long a point or log line waits in the buffer at most: what a kill of the core can lose. */
export const FLUSH_INTERVAL_MS = 200;

export class JobReporter {
  private logs: { jobId: string; ts: number; level: LogLevel; message: string }[] = [];
  private metrics: MetricRow[] = [];
  private progress: JobProgress | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();
  private readonly flushMs: number;
  /** Set for a continued run: the series this start has not reported yet (their restart is still to supersede). */
  private readonly restarted: Set<string> | null;
  private supersede: { key: string; step: number }[] = [];

  constructor(
    private readonly jobId: string,
    private readonly runId: string,
    /** `onWriteError`: a batch that could not be written (a full disk), for the job's owner to act on. */
    private readonly deps: { store: Store; bus: EventBus; log: CoreLog; onWriteError?: (err: unknown) => void },
    opts: { flushMs?: number; continued?: boolean } = {},
  ) {
    this.flushMs = opts.flushMs ?? FLUSH_INTERVAL_MS;
    this.restarted = opts.continued ? new Set() : null;
  }

  log(level: LogLevel, message: string, ts = Date.now()): void {
    this.logs.push({ jobId: this.jobId, ts, level, message });
    this.schedule();
  }

  /** Metric points measured in the core (system sampling), written with the run's other metrics. */
  addMetrics(points: MetricRow[]): void {
    if (points.length === 0) return;
    this.metrics.push(...points);
    this.schedule();
  }

  onWorkerEvent(e: WorkerEvent): void {
    switch (e.type) {
      case 'log':
        this.log(e.level, e.message, e.ts);
        return;
      case 'metric':
        if (this.restarted && !this.restarted.has(e.key)) {
          this.restarted.add(e.key);
          this.supersede.push({ key: e.key, step: e.step });
        }
        this.metrics.push({ runId: this.runId, key: e.key, step: e.step, ts: e.ts, value: e.value });
        this.schedule();
        return;
      case 'progress':
        this.progress = { step: e.step, fraction: Math.min(1, Math.max(0, e.fraction)), etaMs: e.etaMs };
        this.schedule();
        return;
      case 'heartbeat':
        return;
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, this.flushMs);
  }

  /** Writes whatever is buffered; resolves once it is on disk and announced. */
  flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  /** Never rejects: a batch that cannot be written is logged with what it held, and the job goes on. */
  private async write(): Promise<void> {
    const logs = this.logs;
    const metrics = this.metrics;
    const progress = this.progress;
    const supersede = this.supersede;
    this.logs = [];
    this.metrics = [];
    this.progress = null;
    this.supersede = [];
    if (logs.length === 0 && metrics.length === 0 && !progress) return;
    try {
      await this.writeBatch(logs, metrics, progress, supersede);
    } catch (err) {
      this.deps.log('error', 'A batch of job logs and metrics was not written', {
        jobId: this.jobId,
        runId: this.runId,
        logLines: logs.length,
        metricPoints: metrics.length,
        progress: progress !== null,
        error: err,
      });
      this.deps.onWriteError?.(err);
    }
  }

  private async writeBatch(logs: JobReporter['logs'], metrics: MetricRow[], progress: JobProgress | null, supersede: JobReporter['supersede']): Promise<void> {
    let job: Job | undefined;
    const { store, bus } = this.deps;
    const written = await store.db.transaction().execute(async (trx) => {
      // Repositories over the transaction: the one connection is held until commit.
      const jobs = new JobRepository(trx);
      const lines = await jobs.appendLogs(logs);
      const runs = new RunRepository(trx);
      for (const r of supersede) await runs.supersedeFrom(this.runId, r.key, r.step);
      await runs.addMetrics(metrics);
      if (progress) {
        job = await jobs.update(
          this.jobId,
          { progress_step: progress.step, progress_fraction: progress.fraction, eta_ms: progress.etaMs === null ? null : Math.round(progress.etaMs) },
          'running',
        );
      }
      return lines;
    });
    for (const line of written) bus.emit('job.log', line);
    for (const m of metrics) bus.emit('run.metric', { runId: m.runId, jobId: this.jobId, key: m.key, step: m.step, ts: m.ts, value: m.value });
    if (job) bus.emit('job.updated', job);
  }
}
