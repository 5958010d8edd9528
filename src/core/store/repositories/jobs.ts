import type { Kysely, Selectable } from 'kysely';
import { PRIORITY_ORDER, type Job, type JobStatus, type LogLevel, type LogLine, type Priority, type TrainSpec } from '../../../shared/contract';
import type { DB, JobsTable } from '../schema';

const toJob = (r: Selectable<JobsTable>): Job => ({
  id: r.id,
  kind: 'train',
  status: r.status as JobStatus,
  priority: r.priority as Priority,
  spec: JSON.parse(r.spec) as TrainSpec,
  runId: r.run_id,
  progress: { step: r.progress_step, fraction: r.progress_fraction, etaMs: r.eta_ms },
  error: r.error,
  attempt: r.attempt,
  retryOf: r.retry_of,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
});

export const priorityRank = (p: Priority) => PRIORITY_ORDER.indexOf(p);

export interface NewJob {
  id: string;
  spec: TrainSpec;
  priority: Priority;
  attempt: number;
  retryOf: string | null;
  createdAt: number;
}

export type JobChange = Partial<
  Pick<JobsTable, 'status' | 'run_id' | 'progress_step' | 'progress_fraction' | 'eta_ms' | 'error' | 'started_at' | 'finished_at'>
>;

export class JobRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insert(j: NewJob): Promise<Job> {
    await this.db
      .insertInto('jobs')
      .values({
        id: j.id,
        kind: j.spec.kind,
        status: 'queued',
        priority: j.priority,
        priority_rank: priorityRank(j.priority),
        spec: JSON.stringify(j.spec),
        dataset_id: j.spec.datasetId,
        run_id: null,
        progress_step: null,
        progress_fraction: 0,
        eta_ms: null,
        error: null,
        attempt: j.attempt,
        retry_of: j.retryOf,
        created_at: j.createdAt,
        started_at: null,
        finished_at: null,
        updated_at: j.createdAt,
      })
      .execute();
    return (await this.get(j.id))!;
  }

  async get(id: string): Promise<Job | undefined> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toJob(r);
  }

  async list(opts: { status?: JobStatus; limit: number }): Promise<Job[]> {
    let q = this.db.selectFrom('jobs').selectAll();
    if (opts.status) q = q.where('status', '=', opts.status);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map(toJob);
  }

  /** The job the scheduler should start next: highest priority, then first in. */
  async nextQueued(): Promise<Job | undefined> {
    const r = await this.db
      .selectFrom('jobs')
      .selectAll()
      .where('status', '=', 'queued')
      .orderBy('priority_rank')
      .orderBy('created_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return r && toJob(r);
  }

  async countByStatus(status: JobStatus): Promise<number> {
    const r = await this.db.selectFrom('jobs').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', status).executeTakeFirst();
    return Number(r?.n ?? 0);
  }

  async idsByStatus(status: JobStatus): Promise<string[]> {
    const rows = await this.db.selectFrom('jobs').select('id').where('status', '=', status).execute();
    return rows.map((r) => r.id);
  }

  /**
   * Applies a change only if the job is still in `from`: the compare-and-set that keeps two
   * transitions from racing (a cancel arriving while the scheduler starts the job).
   */
  async update(id: string, change: JobChange, from?: JobStatus): Promise<Job | undefined> {
    let q = this.db.updateTable('jobs').set({ ...change, updated_at: Date.now() }).where('id', '=', id);
    if (from) q = q.where('status', '=', from);
    const res = await q.executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) return undefined;
    return this.get(id);
  }

  async appendLogs(lines: { jobId: string; ts: number; level: LogLevel; message: string }[]): Promise<LogLine[]> {
    if (lines.length === 0) return [];
    const rows = await this.db
      .insertInto('job_logs')
      .values(lines.map((l) => ({ job_id: l.jobId, ts: l.ts, level: l.level, message: l.message })))
      .returning(['id', 'job_id', 'ts', 'level', 'message'])
      .execute();
    return rows.map((r) => ({ id: r.id, jobId: r.job_id, ts: r.ts, level: r.level as LogLevel, message: r.message }));
  }

  async logs(jobId: string, afterId: number, limit: number): Promise<LogLine[]> {
    const rows = await this.db
      .selectFrom('job_logs')
      .selectAll()
      .where('job_id', '=', jobId)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ id: r.id, jobId: r.job_id, ts: r.ts, level: r.level as LogLevel, message: r.message }));
  }
}
