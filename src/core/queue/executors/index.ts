/** One executor per job kind: what starting a job of that kind means. */
import type { CommandSpec, Job, NoopSpec, TrainSpec } from '../../../shared/contract';
import { startCommandJob } from './command';
import { startNoopJob } from './noop';
import { startTrainJob } from './train';
import type { ExecutorDeps, StartedJob } from './types';

export type { ExecutorDeps, JobOutcome, StartedJob, Crash } from './types';

export async function startJob(job: Job, deps: ExecutorDeps): Promise<StartedJob> {
  switch (job.spec.kind) {
    case 'train':
      return startTrainJob(job as Job & { spec: TrainSpec }, deps);
    case 'noop':
      return startNoopJob(job as Job & { spec: NoopSpec }, deps);
    case 'command':
      return startCommandJob(job as Job & { spec: CommandSpec }, deps);
  }
}
