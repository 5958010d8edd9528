/**
 * What running one training job means for the core: open a run, hand the task to a worker, turn its
 * events into rows and events, and record how it ended. The pipeline itself runs in the worker.
 */
import { join } from 'node:path';
import type { Job, TrainSpec } from '../../../shared/contract';
import { coreLog } from '../../log';
import { SYSTEM_METRIC_PREFIX, startSystemSampler } from '../../monitor';
import { dataPaths } from '../../paths';
import { asDiskFull, isDiskFull } from '../../store';
import { CANCELLED_MESSAGE } from '../../workers';
import { JobReporter } from '../reporter';
import { crashOf, PlacementEnded, type ExecutorDeps, type JobOutcome, type StartedJob } from './types';

export async function startTrainJob(job: Job & { spec: TrainSpec }, deps: ExecutorDeps): Promise<StartedJob> {
  const { spec } = job;
  const { path: datasetPath, dataset } = await deps.datasets.file(spec.datasetId);
  // One run per job: a job interrupted while it ran left its run open, and this start continues it
  // (the worker resumes from the checkpoint; its curves pick up from there). A run that ended (the
  // worker crashed and the job is retried) stays as it ended, and the new run names it.
  const previous = job.runId ? await deps.tracking.get(job.runId).catch(() => null) : null;
  const continued = previous?.status === 'running' ? previous.id : null;
  const runId =
    continued ??
    (await deps.tracking.startRun({
      experiment: spec.experiment,
      jobId: job.id,
      model: spec.model,
      datasetId: dataset.id,
      datasetSha256: dataset.sha256,
      params: spec.params,
    }));
  if (job.runId && !continued) await deps.tracking.update(runId, { tags: { resumed_from: job.runId } });
  // A batch that hit a full disk stops the job: it would only train on with nothing recorded.
  let full: Error | null = null;
  const reporter = new JobReporter(
    job.id,
    runId,
    {
      store: deps.store,
      bus: deps.bus,
      log: coreLog(deps.dataDir, 'queue.reporter'),
      onWriteError: (err) => {
        if (!isDiskFull(err) || full) return;
        full = asDiskFull(err, deps.dataDir) as Error;
        task.cancel();
      },
    },
    { continued: continued !== null },
  );
  reporter.log(
    'info',
    `${continued ? `Continuing run ${runId}:` : 'Starting'} ${spec.model} on ${dataset.name} (target ${spec.target}), attempt ${job.attempt}`,
  );
  const backend = spec.backend ?? deps.backend;

  const task = deps.placement.train(
    {
      jobId: job.id,
      runId,
      datasetPath,
      datasetFilename: dataset.filename,
      datasetSha256: dataset.sha256,
      spec,
      modelDir: join(dataPaths(deps.dataDir).models, runId),
      checkpointDir: deps.checkpointDir,
      ...(backend ? { backend } : {}),
    },
    (e) => reporter.onWorkerEvent(e),
  );

  // CPU, memory and GPU use of the machine and of this job's worker, as `sys.*` metrics of the run.
  const stopSampling =
    deps.systemSampleMs > 0 && task.pid !== undefined
      ? startSystemSampler({
          runId,
          pid: task.pid,
          intervalMs: deps.systemSampleMs,
          // A continued run's samples go on from its last one: one series across the starts.
          firstStep: continued ? await deps.tracking.nextStep(runId, SYSTEM_METRIC_PREFIX) : 0,
          record: (points) => reporter.addMetrics(points),
          onError: (err) => coreLog(deps.dataDir, 'monitor')('warn', 'System metrics samples are failing for this run; they are skipped', { jobId: job.id, runId, error: err }),
        })
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
      if (err instanceof PlacementEnded && err.outcome.status === 'requeued') {
        // The cluster gave the job back (preempted): its run stays open for the job's next start.
        reporter.log('warn', `${err.message}; back in the queue, to resume from its last checkpoint`);
        await reporter.flush();
        return err.outcome;
      }
      const message = err instanceof Error ? err.message : String(err);
      const cancelled = message === CANCELLED_MESSAGE || err instanceof PlacementEnded;
      if (deps.closing()) {
        // Trainyard is stopping and ended the worker: the run stays open for the job's next start,
        // and what the worker reported up to now is written before the store closes.
        reporter.log(
          'warn',
          job.cluster
            ? `Trainyard stopped; the job goes on on cluster ${job.cluster} and is taken up again at the next start`
            : 'Stopped with Trainyard; the job resumes from its last checkpoint at the next start',
        );
        await reporter.flush();
        return { status: 'failed', error: message, crash: crashOf(err) };
      }
      await deps.tracking.finishRun(runId, { status: cancelled ? 'cancelled' : 'failed' });
      if (!cancelled) reporter.log('error', message);
      await reporter.flush();
      if (err instanceof PlacementEnded) return err.outcome;
      return cancelled ? { status: 'cancelled' } : { status: 'failed', error: message, crash: crashOf(err) };
    },
  );
  return { runId, task, outcome, log: (level, message) => reporter.log(level, message) };
}
