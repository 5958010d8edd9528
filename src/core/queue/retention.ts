/**
 * Log retention: job logs are kept 90 days after a job completed, 30 days after it failed or was
 * cancelled, and debug lines 7 days whatever the job. A periodic sweep applies it.
 */
import type { JobRepository } from '../store';

export interface RetentionPolicy {
  completedDays: number;
  failedDays: number;
  debugDays: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { completedDays: 90, failedDays: 30, debugDays: 7 };

const DAY = 86_400_000;

export function sweepLogs(jobs: JobRepository, policy: RetentionPolicy, now = Date.now()): Promise<number> {
  return jobs.sweepLogs({
    completedBefore: now - policy.completedDays * DAY,
    failedBefore: now - policy.failedDays * DAY,
    debugBefore: now - policy.debugDays * DAY,
  });
}
