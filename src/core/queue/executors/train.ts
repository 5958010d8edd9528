/**
 * What running one training job means for the core: open a run, hand the task to a worker, turn its
 * events into rows and events, and record how it ended. The pipeline itself runs in the worker.
 */
import { join } from 'node:path';
import type { Job, TrainSpec } from '../../../shared/contract';
import { startSystemSampler } from '../../monitor';
import { dataPaths } from '../../paths';
import { asDiskFull, isDiskFull } from '../../store';
import { CANCELLED_MESSAGE, type TrainResult } from '../../workers';
import { JobReporter } from '../reporter';
import { crashOf, type ExecutorDeps, type JobOutcome, type StartedJob } from './types';

export async function startTrainJob(job: Job & { spec: TrainSpec }, deps: ExecutorDeps): Promise<StartedJob> {
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
  // A job started again (after an interruption or a crash) records a new run that names the one before.
  if (job.runId) await deps.tracking.update(runId, { tags: { resumed_from: job.runId } });
  // A batch that hit a full disk stops the job: it would only train on with nothing recorded.
  let full: Error | null = null;
  const reporter = new JobReporter(job.id, runId, {
    store: deps.store,
    bus: deps.bus,
    onWriteError: (err) => {
      if (!isDiskFull(err) || full) return;
      full = asDiskFull(err, deps.dataDir) as Error;
      task.cancel();
    },
  });
  reporter.log('info', `Starting ${spec.model} on ${dataset.name} (target ${spec.target}), attempt ${job.attempt}`);
  const backend = spec.backend ?? deps.backend;

  const task = deps.pool.run<TrainResult>(
    (api) =>
      api.train({
        jobId: job.id,
        runId,
        datasetPath,
        datasetSha256: dataset.sha256,
        spec,
        modelDir: join(dataPaths(deps.dataDir).models, runId),
        checkpointDir: deps.checkpointDir,
        ...(backend ? { backend } : {}),
      }),
    { env: deps.env, onEvent: (e) => reporter.onWorkerEvent(e) },
  );

  // CPU, memory and GPU use of the machine and of this job's worker, as `sys.*` metrics of the run.
  const stopSampling =
    deps.systemSampleMs > 0 && task.pid !== undefined
      ? startSystemSampler({ runId, pid: task.pid, intervalMs: deps.systemSampleMs, record: (points) => reporter.addMetrics(points) })
      : async () => undefined;
  const ended = task.result.finally(() => stopSampling());

  const outcome = ended.then(
    async (result): Promise<JobOutcome> => {
      await deps.tracking.setParams(runId, result.params);
      await deps.tracking.recordMetrics(
        Object.entries(result.metrics).map(([key, value]) => ({ runId, key, step: 0, ts: Date.now(), value })),
      );
      await deps.tracking.addArtifacts(runId, result.artifacts);
      await deps.tracking.finishRun(runId, { status: 'completed', backend: result.backend, device: result.device });
      reporter.log('info', `Completed on ${result.backend} (${result.device})`);
      await reporter.flush();
      // After the flush, so no epoch point written later moves the summary back to the last epoch.
      if (result.summary) await deps.tracking.setSummary(runId, result.summary);
      return { status: 'completed' };
    },
    async (err: unknown): Promise<JobOutcome> => {
      if (full) {
        await deps.tracking.finishRun(runId, { status: 'failed' });
        return { status: 'failed', error: full.message };
      }
      const message = err instanceof Error ? err.message : String(err);
      const cancelled = message === CANCELLED_MESSAGE;
      await deps.tracking.finishRun(runId, { status: cancelled ? 'cancelled' : 'failed' });
      if (!cancelled) reporter.log('error', message);
      await reporter.flush();
      return cancelled ? { status: 'cancelled' } : { status: 'failed', error: message, crash: crashOf(err) };
    },
  );
  return { runId, task, outcome, log: (level, message) => reporter.log(level, message) };
}
