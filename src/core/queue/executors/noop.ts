/**
 * A job that only waits in a worker. It records nothing but its lifecycle, so what it costs is the
 * queue's own overhead: the benchmark's subject.
 */
import type { Job, NoopSpec } from '../../../shared/contract';
import { CANCELLED_MESSAGE } from '../../workers';
import { crashOf, PlacementEnded, type ExecutorDeps, type JobOutcome, type StartedJob } from './types';

export function startNoopJob(job: Job & { spec: NoopSpec }, deps: ExecutorDeps): StartedJob {
  const task = deps.placement.noop({ jobId: job.id, sleepMs: job.spec.sleepMs }, () => undefined);
  const outcome = task.result.then(
    (): JobOutcome => ({ status: 'completed' }),
    (err: unknown): JobOutcome => {
      if (err instanceof PlacementEnded) return err.outcome;
      const message = err instanceof Error ? err.message : String(err);
      if (message === CANCELLED_MESSAGE) return { status: 'cancelled' };
      return { status: 'failed', error: message, crash: crashOf(err) };
    },
  );
  return { runId: null, task, outcome, log: () => undefined };
}
