/**
 * Turns a worker's running commentary into rows and events. Log lines and metric points are
 * buffered and written in one transaction every `flushMs` (one writer, few commits: SQLite stays fast
 * however chatty a job is); events go out after the rows exist, so a subscriber that reads back
 * finds what it was told about. Progress updates the job row at most every `flushMs`.
 */
import type { Job, JobProgress, LogLevel } from '../../shared/contract';
import type { EventBus } from '../events';
import { JobRepository, RunRepository, type Store } from '../store';
import type { MetricRow } from '../tracking';
import type { WorkerEvent } from '../workers';

export class JobReporter {
  private logs: { jobId: string; ts: number; level: LogLevel; message: string }[] = [];
  private metrics: MetricRow[] = [];
  private progress: JobProgress | null = null;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly jobId: string,
    private readonly runId: string,
    /** `onWriteError`: a batch that could not be written (a full disk), for the job's owner to act on. */
    private readonly deps: { store: Store; bus: EventBus; onWriteError?: (err: unknown) => void },
    private readonly flushMs = 200,
  ) {}

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
    this.flushing = this.flushing.then(() => this.write()).catch((err: unknown) => this.deps.onWriteError?.(err));
    return this.flushing;
  }

  private async write(): Promise<void> {
    const logs = this.logs;
    const metrics = this.metrics;
    const progress = this.progress;
    this.logs = [];
    this.metrics = [];
    this.progress = null;
    if (logs.length === 0 && metrics.length === 0 && !progress) return;

    let job: Job | undefined;
    const { store, bus } = this.deps;
    const written = await store.db.transaction().execute(async (trx) => {
      // Repositories over the transaction: the one connection is held until commit.
      const jobs = new JobRepository(trx);
      const lines = await jobs.appendLogs(logs);
      await new RunRepository(trx).addMetrics(metrics);
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
