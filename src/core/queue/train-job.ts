/**
 * What running one training job means for the core: open a run, hand the task to a worker, turn its
 * events into rows and events, and record how it ended. The pipeline itself runs in the worker.
 */
import { join } from 'node:path';
import type { Job } from '../../shared/contract';
import type { DatasetCatalog } from '../datasets';
import type { EventBus } from '../events';
import { dataPaths } from '../paths';
import type { Store } from '../store';
import type { Tracking } from '../tracking';
import { CANCELLED_MESSAGE, type RunningTask, type TrainResult, type WorkerPool } from '../workers';
import { JobReporter } from './reporter';

export interface TrainJobDeps {
  store: Store;
  bus: EventBus;
  tracking: Tracking;
  datasets: DatasetCatalog;
  pool: WorkerPool;
  dataDir: string;
  backend?: string;
}

export type TrainOutcome =
  | { status: 'completed'; result: TrainResult }
  | { status: 'cancelled'; error: string }
  | { status: 'failed'; error: string };

export interface StartedTrainJob {
  runId: string;
  task: RunningTask | null;
  outcome: Promise<TrainOutcome>;
  reporter: JobReporter;
}

export async function startTrainJob(job: Job, deps: TrainJobDeps): Promise<StartedTrainJob> {
  const { spec } = job;
  const { path: datasetPath, dataset } = await deps.datasets.file(spec.datasetId);
  const runId = await deps.tracking.startRun({
    experiment: spec.experiment,
    jobId: job.id,
    model: spec.model,
    datasetId: dataset.id,
    datasetSha256: dataset.sha256,
    params: spec.params,
  });
  const reporter = new JobReporter(job.id, runId, { store: deps.store, bus: deps.bus });
  reporter.log('info', `Starting ${spec.model} on ${dataset.name} (target ${spec.target}), attempt ${job.attempt}`);

  const task = deps.pool.run(
    {
      jobId: job.id,
      runId,
      datasetPath,
      datasetSha256: dataset.sha256,
      spec,
      modelDir: join(dataPaths(deps.dataDir).models, runId),
      ...(deps.backend ? { backend: deps.backend } : {}),
    },
    (e) => reporter.onWorkerEvent(e),
  );

  const outcome = task.result.then(
    async (result): Promise<TrainOutcome> => {
      await deps.tracking.setParams(runId, result.params);
      await deps.tracking.recordMetrics(
        Object.entries(result.metrics).map(([key, value]) => ({ runId, key, step: 0, ts: Date.now(), value })),
      );
      await deps.tracking.addArtifacts(runId, result.artifacts);
      await deps.tracking.finishRun(runId, { status: 'completed', backend: result.backend, device: result.device });
      reporter.log('info', `Completed on ${result.backend} (${result.device})`);
      await reporter.flush();
      return { status: 'completed', result };
    },
    async (err: unknown): Promise<TrainOutcome> => {
      const message = err instanceof Error ? err.message : String(err);
      const cancelled = message === CANCELLED_MESSAGE;
      await deps.tracking.finishRun(runId, { status: cancelled ? 'cancelled' : 'failed' });
      if (!cancelled) reporter.log('error', message);
      await reporter.flush();
      return cancelled ? { status: 'cancelled', error: 'Cancelled by the user' } : { status: 'failed', error: message };
    },
  );
  return { runId, task, outcome, reporter };
}
