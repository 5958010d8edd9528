/** One executor per job kind: what starting a job of that kind means. Where its process runs is the placement's. */
import type { CommandSpec, Job, NoopSpec, TrainSpec } from '../../../shared/contract';
import type { WorkerPool } from '../../workers';
import { startCommandJob } from './command';
import { startNoopJob } from './noop';
import { startTrainJob } from './train';
import type { ExecutorDeps, Placement, StartedJob } from './types';

export type { ClusterPlacements, ExecutorDeps, JobOutcome, Placement, StartedJob, Crash } from './types';
export { PlacementEnded } from './types';

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

/** This machine: a worker of the pool, pinned to the GPUs the job was given. */
export function localPlacement(pool: WorkerPool, env: Record<string, string>): Placement {
  return {
    train: (task, onEvent) => pool.run((api) => api.train(task), { env, onEvent }),
    noop: (task, onEvent) => pool.run((api) => api.noop(task), { env, onEvent }),
  };
}
