/**
 * The studies and trials tables. The core is the one writer; the runner changes a study's or a
 * trial's state through this repository inside a transaction (`db.transaction().execute(trx =>
 * new StudyRepository(trx)...)`), so a crash never leaves half a change.
 */
import type { Kysely, Selectable } from 'kysely';
import type { IntermediateValue, ParamValue, Priority, StudySpec, StudyStatus, StudyTrainSpec, StudyTrial, TrialStatus } from '../../shared/contract';
import type { DB, StudiesTable, TrialsTable } from '../store';

export type StudyRow = Selectable<StudiesTable>;
export type TrialRow = Selectable<TrialsTable>;

/** A study as the runner holds it: the row with its JSON parsed. */
export interface StoredStudy {
  id: string;
  name: string;
  status: StudyStatus;
  spec: StudySpec;
  train: StudyTrainSpec;
  priority: Priority;
  /** Warm-start params not yet given a trial, in the order given. */
  pending: Record<string, ParamValue>[];
  importance: { param: string; importance: number }[] | null;
  createdAt: number;
  finishedAt: number | null;
  /** Why a failed study stopped. */
  failureReason: string | null;
  /** The cluster target its trials run on; null or absent: this machine. */
  cluster?: string | null;
}

/** A trial with the job that runs it, and why it failed when it did. */
export type StoredTrial = StudyTrial;

export interface TrialCounts {
  running: number;
  completed: number;
  pruned: number;
  failed: number;
}

export function toStudy(row: StudyRow): StoredStudy {
  return {
    id: row.id,
    name: row.name,
    status: row.status as StudyStatus,
    spec: JSON.parse(row.spec) as StudySpec,
    train: JSON.parse(row.train) as StudyTrainSpec,
    priority: row.priority as Priority,
    pending: JSON.parse(row.pending) as Record<string, ParamValue>[],
    importance: row.importance === null ? null : (JSON.parse(row.importance) as { param: string; importance: number }[]),
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    failureReason: row.failure_reason,
    // Absent for a study on this machine, as it was created.
    ...(row.cluster !== null ? { cluster: row.cluster } : {}),
  };
}

export function toTrial(row: TrialRow): StoredTrial {
  return {
    id: row.id,
    studyId: row.study_id,
    number: row.number,
    status: row.state as TrialStatus,
    params: JSON.parse(row.params) as Record<string, ParamValue>,
    value: row.value,
    intermediate: JSON.parse(row.intermediate) as IntermediateValue[],
    jobId: row.job_id,
    runId: row.run_id,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.ended_at,
  };
}

export class StudyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async insertStudy(s: StoredStudy): Promise<void> {
    await this.db
      .insertInto('studies')
      .values({
        id: s.id,
        name: s.name,
        status: s.status,
        spec: JSON.stringify(s.spec),
        train: JSON.stringify(s.train),
        priority: s.priority,
        pending: JSON.stringify(s.pending),
        importance: s.importance === null ? null : JSON.stringify(s.importance),
        created_at: s.createdAt,
        finished_at: s.finishedAt,
        failure_reason: s.failureReason,
        cluster: s.cluster ?? null,
        updated_at: Date.now(),
      })
      .execute();
  }

  async study(id: string): Promise<StoredStudy | undefined> {
    const row = await this.db.selectFrom('studies').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStudy(row);
  }

  async studies(status?: StudyStatus): Promise<StoredStudy[]> {
    let q = this.db.selectFrom('studies').selectAll();
    if (status) q = q.where('status', '=', status);
    return (await q.orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(toStudy);
  }

  /** Changes a study; with `from`, only while it still has that status (false when it had not). */
  async updateStudy(
    id: string,
    change: Partial<{
      status: StudyStatus;
      pending: Record<string, ParamValue>[];
      importance: { param: string; importance: number }[];
      finishedAt: number | null;
      failureReason: string | null;
    }>,
    from?: StudyStatus,
  ): Promise<boolean> {
    let q = this.db
      .updateTable('studies')
      .set({
        updated_at: Date.now(),
        ...(change.status !== undefined ? { status: change.status } : {}),
        ...(change.pending !== undefined ? { pending: JSON.stringify(change.pending) } : {}),
        ...(change.importance !== undefined ? { importance: JSON.stringify(change.importance) } : {}),
        ...(change.finishedAt !== undefined ? { finished_at: change.finishedAt } : {}),
        ...(change.failureReason !== undefined ? { failure_reason: change.failureReason } : {}),
      })
      .where('id', '=', id);
    if (from) q = q.where('status', '=', from);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) > 0;
  }

  async insertTrial(t: StoredTrial): Promise<void> {
    await this.db
      .insertInto('trials')
      .values({
        id: t.id,
        study_id: t.studyId,
        number: t.number,
        state: t.status,
        params: JSON.stringify(t.params),
        value: t.value,
        intermediate: JSON.stringify(t.intermediate),
        job_id: t.jobId,
        run_id: t.runId,
        error: t.error,
        started_at: t.startedAt,
        ended_at: t.finishedAt,
      })
      .execute();
  }

  /**
   * Changes a trial; with `from`, only while it is still in that state (a compare-and-set: a trial
   * pruned a moment ago is not then marked completed by its job's end).
   */
  async updateTrial(
    id: string,
    change: Partial<{ status: TrialStatus; value: number | null; intermediate: IntermediateValue[]; jobId: string | null; runId: string | null; error: string | null; finishedAt: number | null }>,
    from?: TrialStatus,
  ): Promise<StoredTrial | undefined> {
    let q = this.db
      .updateTable('trials')
      .set({
        ...(change.status !== undefined ? { state: change.status } : {}),
        ...(change.value !== undefined ? { value: change.value } : {}),
        ...(change.intermediate !== undefined ? { intermediate: JSON.stringify(change.intermediate) } : {}),
        ...(change.jobId !== undefined ? { job_id: change.jobId } : {}),
        ...(change.runId !== undefined ? { run_id: change.runId } : {}),
        ...(change.error !== undefined ? { error: change.error } : {}),
        ...(change.finishedAt !== undefined ? { ended_at: change.finishedAt } : {}),
      })
      .where('id', '=', id);
    if (from) q = q.where('state', '=', from);
    const row = await q.returningAll().executeTakeFirst();
    return row && toTrial(row);
  }

  async trial(id: string): Promise<StoredTrial | undefined> {
    const row = await this.db.selectFrom('trials').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toTrial(row);
  }

  /** A study's trials by number. */
  async trials(studyId: string, offset = 0, limit = -1): Promise<StoredTrial[]> {
    const rows = await this.db.selectFrom('trials').selectAll().where('study_id', '=', studyId).orderBy('number').limit(limit).offset(offset).execute();
    return rows.map(toTrial);
  }

  async trialCount(studyId: string): Promise<number> {
    const r = await this.db.selectFrom('trials').select((eb) => eb.fn.countAll<number>().as('n')).where('study_id', '=', studyId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async counts(studyId: string): Promise<TrialCounts> {
    const rows = await this.db
      .selectFrom('trials')
      .select(['state', (eb) => eb.fn.countAll<number>().as('n')])
      .where('study_id', '=', studyId)
      .groupBy('state')
      .execute();
    const counts: TrialCounts = { running: 0, completed: 0, pruned: 0, failed: 0 };
    for (const r of rows) counts[r.state as TrialStatus] = Number(r.n);
    return counts;
  }

  /** The completed trial with the best value (the earliest among equals). */
  async best(studyId: string, direction: 'minimize' | 'maximize'): Promise<StoredTrial | undefined> {
    const row = await this.db
      .selectFrom('trials')
      .selectAll()
      .where('study_id', '=', studyId)
      .where('state', '=', 'completed')
      .where('value', 'is not', null)
      .orderBy('value', direction === 'minimize' ? 'asc' : 'desc')
      .orderBy('number')
      .limit(1)
      .executeTakeFirst();
    return row && toTrial(row);
  }

  /** Ended trials whose job is queued or running again (crash recovery re-queued it before its cancel landed). */
  async endedTrialsWithLiveJobs(): Promise<{ jobId: string; status: TrialStatus }[]> {
    const rows = await this.db
      .selectFrom('jobs')
      .innerJoin('trials', 'trials.job_id', 'jobs.id')
      .select(['jobs.id as jobId', 'trials.state as state'])
      .where('jobs.status', 'in', ['queued', 'running'])
      .where('trials.state', '!=', 'running')
      .execute();
    return rows.map((r) => ({ jobId: r.jobId, status: r.state as TrialStatus }));
  }

  /** Job ids already linked to a trial, among these. */
  async linkedJobs(jobIds: readonly string[]): Promise<Set<string>> {
    if (jobIds.length === 0) return new Set();
    const rows = await this.db.selectFrom('trials').select('job_id').where('job_id', 'in', [...jobIds]).execute();
    return new Set(rows.map((r) => r.job_id!));
  }

  /** Train jobs created since `since` (any experiment; the caller matches the spec): where a trial whose link was never written finds its job. */
  async trainJobsSince(since: number, kind: 'train' | 'command' = 'train'): Promise<{ id: string; spec: string; status: string }[]> {
    return this.db.selectFrom('jobs').select(['id', 'spec', 'status']).where('kind', '=', kind).where('created_at', '>=', since).orderBy('created_at').execute();
  }
}
