/**
 * The job lifecycle, checked in one place:
 *   queued → running → completed | failed | cancelled,  and  queued → cancelled,
 *   and running → queued when a job is interrupted (the app stopped) or its crash is retried.
 * Every status change in the core goes through `assertTransition`.
 */
import type { JobStatus } from '../../shared/contract';
import { Conflict } from '../../shared/errors';

const NEXT: Record<JobStatus, readonly JobStatus[]> = {
  queued: ['running', 'cancelled'],
  running: ['completed', 'failed', 'cancelled', 'queued'],
  completed: [],
  failed: [],
  cancelled: [],
};

export const TERMINAL: readonly JobStatus[] = ['completed', 'failed', 'cancelled'];

export function canTransition(from: JobStatus, to: JobStatus): boolean {
  return NEXT[from].includes(to);
}

const VERB: Record<JobStatus, string> = {
  queued: 'queued',
  running: 'started',
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function assertTransition(jobId: string, from: JobStatus, to: JobStatus): void {
  if (!canTransition(from, to)) {
    throw new Conflict(`Job ${jobId} is ${from}; it cannot be ${VERB[to]}`);
  }
}

/** Retry makes a new job from a finished one that did not succeed. */
export function assertRetryable(jobId: string, status: JobStatus): void {
  if (status !== 'failed' && status !== 'cancelled') {
    throw new Conflict(`Job ${jobId} is ${status}; only failed or cancelled jobs can be retried`);
  }
}
