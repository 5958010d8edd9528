/**
 * A job that only waits in a worker. It records nothing but its lifecycle, so what it costs is the
 * queue's own overhead: the benchmark's subject.
 */
import type { Job, LogLevel, NoopSpec } from '../../../shared/contract';
import { coreLog } from '../../log';
import { JobRepository } from '../../store';
import { CANCELLED_MESSAGE } from '../../workers';
import { crashOf, PlacementEnded, type ExecutorDeps, type JobOutcome, type StartedJob } from './types';

export function startNoopJob(job: Job & { spec: NoopSpec }, deps: ExecutorDeps): StartedJob {
  // A no-op job has no run: what it says (a node process on a cluster logs where it started) goes to the job's log.
  const jobs = new JobRepository(deps.store.db);
  const log = (level: LogLevel, message: string, ts = Date.now()) =>
    void jobs
      .appendLogs([{ jobId: job.id, ts, level, message }])
      .then((lines) => lines.forEach((l) => deps.bus.emit('job.log', l)))
      .catch((err: unknown) => coreLog(deps.dataDir, 'queue')('warn', 'A log line of a no-op job was not written', { jobId: job.id, message, error: err }));
  const task = deps.placement.noop({ jobId: job.id, sleepMs: job.spec.sleepMs }, (e) => {
    if (e.type === 'log') log(e.level, e.message, e.ts);
  });
  const outcome = task.result.then(
    (): JobOutcome => ({ status: 'completed' }),
    (err: unknown): JobOutcome => {
      if (err instanceof PlacementEnded) return err.outcome;
      const message = err instanceof Error ? err.message : String(err);
      if (message === CANCELLED_MESSAGE) return { status: 'cancelled' };
      return { status: 'failed', error: message, crash: crashOf(err) };
    },
  );
  return { runId: null, task, outcome, log };
}
