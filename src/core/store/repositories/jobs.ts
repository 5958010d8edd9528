import { sql, type Kysely, type Selectable } from 'kysely';
import {
  PRIORITY_ORDER,
  type Job,
  type JobKind,
  type JobResources,
  type JobSpec,
  type JobStatus,
  type JobTransition,
  type LogLevel,
  type LogLine,
  type Priority,
  type RetryPolicy,
} from '../../../shared/contract';
import type { DB, JobsTable } from '../schema';

export type JobRow = Selectable<JobsTable>;

/** A job as stored; the queue adds what depends on the clock (effective priority). */
export const toJob = (r: JobRow): Job => ({
  id: r.id,
  kind: r.kind as JobKind,
  status: r.status as JobStatus,
  priority: r.priority as Priority,
  effectivePriority: r.priority as Priority,
  spec: JSON.parse(r.spec) as JobSpec,
  resources: JSON.parse(r.resources) as JobResources,
  retryPolicy: JSON.parse(r.retry_policy) as RetryPolicy,
  after: JSON.parse(r.after_ids) as string[],
  gpuIndices: JSON.parse(r.gpu_indices) as number[],
  runId: r.run_id,
  progress: { step: r.progress_step, fraction: r.progress_fraction, etaMs: r.eta_ms },
  estimateMs: r.estimate_ms,
  error: r.error,
  attempt: r.attempt,
  retryOf: r.retry_of,
  notBefore: r.not_before,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  cluster: r.cluster,
  clusterJobId: r.cluster_job_id,
  clusterState: r.cluster_state,
});

export const priorityRank = (p: Priority) => PRIORITY_ORDER.indexOf(p);

export interface NewJob {
  id: string;
  spec: JobSpec;
  priority: Priority;
  resources: JobResources;
  retryPolicy: RetryPolicy;
  after: string[];
  attempt: number;
  retryOf: string | null;
  sizeKey: string;
  estimateMs: number | null;
  createdAt: number;
  cluster?: string | null;
}

export type JobChange = Partial<
  Pick<
    JobsTable,
    | 'status'
    | 'priority'
    | 'priority_rank'
    | 'run_id'
    | 'progress_step'
    | 'progress_fraction'
    | 'eta_ms'
    | 'error'
    | 'started_at'
    | 'finished_at'
    | 'gpu_indices'
    | 'not_before'
    | 'crashes'
    | 'cluster_job_id'
    | 'cluster_state'
  >
>;

export interface NewTransition {
  jobId: string;
  from: JobStatus | null;
  to: JobStatus;
  ts: number;
  cause: string;
  exitCode?: number | null;
  signal?: string | null;
  logTail?: string[];
}

type Db = Kysely<DB>;

export class JobRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Inserts the job and its first transition in one transaction. */
  async insert(j: NewJob): Promise<Job> {
    const row = await this.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('jobs')
        .values({
        id: j.id,
        kind: j.spec.kind,
        status: 'queued',
        priority: j.priority,
        priority_rank: priorityRank(j.priority),
        spec: JSON.stringify(j.spec),
        dataset_id: j.spec.kind === 'train' ? j.spec.datasetId : null,
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
        resources: JSON.stringify(j.resources),
        retry_policy: JSON.stringify(j.retryPolicy),
        after_ids: JSON.stringify(j.after),
        gpu_indices: '[]',
        not_before: null,
        estimate_ms: j.estimateMs,
        crashes: 0,
        size_key: j.sizeKey,
        cluster: j.cluster ?? null,
        cluster_job_id: null,
        cluster_state: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
      await addTransition(trx, { jobId: j.id, from: null, to: 'queued', ts: j.createdAt, cause: j.retryOf ? `retry of ${j.retryOf}` : 'submitted' });
      return inserted;
    });
    return toJob(row);
  }

  async getRow(id: string): Promise<JobRow | undefined> {
    return this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async rowsByStatus(status: JobStatus): Promise<JobRow[]> {
    return this.db.selectFrom('jobs').selectAll().where('status', '=', status).orderBy('created_at').orderBy('id').execute();
  }

  async statuses(ids: string[]): Promise<Map<string, JobStatus>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.selectFrom('jobs').select(['id', 'status']).where('id', 'in', ids).execute();
    return new Map(rows.map((r) => [r.id, r.status as JobStatus]));
  }

  /**
   * A status change and its transition row in one transaction, applied only if the job is still in
   * `from` (compare-and-set): a cancel racing a start never leaves two truths, and no half-written
   * change survives a crash.
   */
  async transition(id: string, from: JobStatus, t: Omit<NewTransition, 'jobId' | 'from'>, change: JobChange = {}): Promise<Job | undefined> {
    return (await this.transitionWithRecord(id, from, t, change))?.job;
  }

  /** `transition`, also returning the recorded transition (what the `job.transition` event carries). */
  async transitionWithRecord(
    id: string,
    from: JobStatus,
    t: Omit<NewTransition, 'jobId' | 'from'>,
    change: JobChange = {},
  ): Promise<{ job: Job; transition: JobTransition } | undefined> {
    // RETURNING gives the changed row in the same statement: no read-back after the commit.
    const done = await this.db.transaction().execute(async (trx) => {
      const row = await trx
        .updateTable('jobs')
        .set({ ...change, status: t.to, updated_at: Date.now() })
        .where('id', '=', id)
        .where('status', '=', from)
        .returningAll()
        .executeTakeFirst();
      if (!row) return null;
      return { row, rowId: await addTransition(trx, { ...t, jobId: id, from }) };
    });
    if (done === null) return undefined;
    const { row, rowId } = done;
    const job = toJob(row);
    const transition: JobTransition = {
      id: rowId,
      jobId: id,
      from,
      to: t.to,
      ts: t.ts,
      cause: t.cause,
      exitCode: t.exitCode ?? null,
      signal: t.signal ?? null,
      logTail: t.logTail ?? [],
    };
    return { job, transition };
  }

  async transitions(jobId: string): Promise<JobTransition[]> {
    const rows = await this.db.selectFrom('job_transitions').selectAll().where('job_id', '=', jobId).orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      jobId: r.job_id,
      from: r.from_status as JobStatus | null,
      to: r.to_status as JobStatus,
      ts: r.ts,
      cause: r.cause,
      exitCode: r.exit_code,
      signal: r.signal,
      logTail: JSON.parse(r.log_tail) as string[],
    }));
  }

  async lastTransition(jobId: string): Promise<JobTransition | undefined> {
    const all = await this.transitions(jobId);
    return all[all.length - 1];
  }

  /** Median run time of the last finished jobs of this kind and size: the estimate for the next one. */
  async durationSample(kind: string, sizeKey: string, limit = 20): Promise<number[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .select(['started_at', 'finished_at'])
      .where('kind', '=', kind)
      .where('size_key', '=', sizeKey)
      .where('status', '=', 'completed')
      .orderBy('finished_at', 'desc')
      .limit(limit)
      .execute();
    return rows.filter((r) => r.started_at != null && r.finished_at != null).map((r) => r.finished_at! - r.started_at!);
  }

  async setQueuedEstimate(kind: string, sizeKey: string, estimateMs: number): Promise<void> {
    await this.db
      .updateTable('jobs')
      .set({ estimate_ms: estimateMs })
      .where('kind', '=', kind)
      .where('size_key', '=', sizeKey)
      .where('status', '=', 'queued')
      .execute();
  }

  async stats(sinceMs: number): Promise<{ priority: string; status: string; n: number; nWait: number; nRun: number; wait: number | null; run: number | null; recent: number }[]> {
    const rows = await sql<{ priority: string; status: string; n: number; nWait: number; nRun: number; wait: number | null; run: number | null; recent: number }>`
      SELECT priority, status, COUNT(*) AS n,
             SUM(CASE WHEN started_at IS NOT NULL THEN 1 ELSE 0 END) AS nWait,
             SUM(CASE WHEN started_at IS NOT NULL AND finished_at IS NOT NULL THEN 1 ELSE 0 END) AS nRun,
             AVG(CASE WHEN started_at IS NOT NULL THEN started_at - created_at END) AS wait,
             AVG(CASE WHEN started_at IS NOT NULL AND finished_at IS NOT NULL THEN finished_at - started_at END) AS run,
             SUM(CASE WHEN finished_at >= ${sinceMs} THEN 1 ELSE 0 END) AS recent
      FROM jobs GROUP BY priority, status`.execute(this.db);
    return rows.rows;
  }

  /**
   * Retention: deletes log lines of finished jobs older than their status's limit, and debug lines
   * older than the debug limit whatever the job. Returns the number of lines removed.
   */
  async sweepLogs(cut: { completedBefore: number; failedBefore: number; debugBefore: number }): Promise<number> {
    const byStatus = await sql`
      DELETE FROM job_logs WHERE job_id IN (
        SELECT id FROM jobs WHERE (status = 'completed' AND finished_at < ${cut.completedBefore})
                               OR (status IN ('failed', 'cancelled') AND finished_at < ${cut.failedBefore}))`.execute(this.db);
    const debug = await sql`DELETE FROM job_logs WHERE level = 'debug' AND ts < ${cut.debugBefore}`.execute(this.db);
    return Number(byStatus.numAffectedRows ?? 0) + Number(debug.numAffectedRows ?? 0);
  }

  async get(id: string): Promise<Job | undefined> {
    const r = await this.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toJob(r);
  }

  async list(opts: { status?: JobStatus; priority?: Priority; kind?: JobKind; limit: number }): Promise<Job[]> {
    let q = this.db.selectFrom('jobs').selectAll();
    if (opts.status) q = q.where('status', '=', opts.status);
    if (opts.priority) q = q.where('priority', '=', opts.priority);
    if (opts.kind) q = q.where('kind', '=', opts.kind);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
    return rows.map(toJob);
  }

  /** The id of a job submitted as a retry of this one, if any: a job is retried once. */
  async retryOf(id: string): Promise<string | undefined> {
    const r = await this.db.selectFrom('jobs').select('id').where('retry_of', '=', id).orderBy('created_at').limit(1).executeTakeFirst();
    return r?.id;
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
    const row = await q.returningAll().executeTakeFirst();
    return row && toJob(row);
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

async function addTransition(db: Db, t: NewTransition): Promise<number> {
  const r = await db
    .insertInto('job_transitions')
    .values({
      job_id: t.jobId,
      from_status: t.from,
      to_status: t.to,
      ts: t.ts,
      cause: t.cause,
      exit_code: t.exitCode ?? null,
      signal: t.signal ?? null,
      log_tail: JSON.stringify(t.logTail ?? []),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
