/**
 * What a study's trials are doing in the queue: a trial counts as running from the moment its job
 * is submitted, but the queue may run one job at a time, so "2 running" would overstate it. The
 * jobs store knows each trial job's status and times.
 */
import type { Job, StudyTrial } from '../../shared/contract';

export interface TrialQueueCounts {
  /** Trials whose job runs now. */
  running: number;
  /** Trials whose job waits in the queue. */
  waiting: number;
}

/** Splits the running trials by what their jobs are doing; a trial whose job is not held counts as running. */
export function trialQueueCounts(trials: StudyTrial[], jobs: Record<string, Job>): TrialQueueCounts {
  let running = 0;
  let waiting = 0;
  for (const t of trials) {
    if (t.status !== 'running') continue;
    const job = t.jobId ? jobs[t.jobId] : undefined;
    if (job?.status === 'queued') waiting++;
    else running++;
  }
  return { running, waiting };
}

/** A trial's time: in all (from its creation, queue wait included) and running (its job's own time). */
export interface TrialTimes {
  total: number | null;
  running: number | null;
  waited: number | null;
}

export function trialTimes(trial: StudyTrial, job: Job | undefined, now: number): TrialTimes {
  const end = trial.finishedAt ?? (job?.finishedAt ?? null);
  const total = end !== null ? end - trial.startedAt : null;
  if (!job || job.startedAt === null) return { total, running: null, waited: job?.status === 'queued' ? now - trial.startedAt : null };
  const running = (job.finishedAt ?? (end ?? now)) - job.startedAt;
  return { total, running, waited: Math.max(0, job.startedAt - trial.startedAt) };
}

/**
 * Per study, its trial jobs that run and that wait, from the jobs' own marks (`spec.trial`): for a
 * list of studies, whose trials are not loaded.
 */
export function studyQueueCounts(jobs: Record<string, Job>): Map<string, TrialQueueCounts> {
  const counts = new Map<string, TrialQueueCounts>();
  for (const job of Object.values(jobs)) {
    if (job.spec.kind === 'noop' || !job.spec.trial || (job.status !== 'running' && job.status !== 'queued')) continue;
    const c = counts.get(job.spec.trial.studyId) ?? { running: 0, waiting: 0 };
    if (job.status === 'running') c.running++;
    else c.waiting++;
    counts.set(job.spec.trial.studyId, c);
  }
  return counts;
}
