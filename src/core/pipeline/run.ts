/**
 * One training job, start to finish, inside a worker: backend, then load, preprocess, train,
 * evaluate, register. Returns what the core records for the run.
 */
import type { ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { FORECAST_FAMILY_SPECS, forecastKit, isForecastFamily } from '../models';
import type { TrainResult, TrainTask } from '../workers';
import { selectTaskBackend } from './backend';
import { evaluateStep } from './evaluate';
import { loadStep } from './load';
import { preprocessStep } from './preprocess';
import { registerStep } from './register';
import { Reporter, checkCancelled, type Emit, type StepContext } from './report';
import { dataParams } from './split-bounds';
import { trainStep } from './train-step';

export interface RunOptions {
  emit: Emit;
  /** Polled between steps and before every training batch. */
  shouldStop?: () => boolean;
}

/** Runs a train task: a forecast family here, an anomaly family through pipeline/anomaly.ts. */
export async function runTrainTask(task: TrainTask, opts: RunOptions): Promise<TrainResult> {
  const family = task.spec.model;
  // The anomaly families run their own five steps (pipeline/anomaly.ts), loaded only when a job needs them.
  if (family === 'autoencoder' || family === 'isolation_forest') return (await import('./anomaly')).runAnomalyTask(task, opts);
  if (!isForecastFamily(family)) {
    throw new InvalidInput(`Model family "${family}" is not supported by this worker`, 'model');
  }
  const spec = FORECAST_FAMILY_SPECS[family];
  const params = spec.resolve(task.spec.params);

  const ctx: StepContext = { report: new Reporter(opts.emit), shouldStop: opts.shouldStop ?? (() => false) };
  const backend = await selectTaskBackend(task, ctx);

  checkCancelled(ctx);
  const loaded = await loadStep(task, ctx);
  checkCancelled(ctx);
  const prepared = preprocessStep(loaded, params, spec.input, ctx);
  checkCancelled(ctx);
  const trained = await trainStep(task, family, loaded, prepared, params, ctx);
  const kit = await forecastKit();
  try {
    checkCancelled(ctx);
    const evaluated = await evaluateStep(trained.forecaster, loaded, prepared, ctx);
    checkCancelled(ctx);
    const record: Record<string, ParamValue> = { ...params, ...trained.chosen, ...dataParams(loaded.data, prepared.bounds) };
    const artifacts = await registerStep(
      { task, params: record, seed: params.seed, loaded, prepared, trained, evaluated, backend: backend.name, device: backend.device },
      ctx,
    );
    // The model is registered: a later start of this job has nothing to resume.
    await kit.removeCheckpoint(task.checkpointDir);
    return {
      params: record,
      metrics: { ...trained.metrics, ...evaluated.metrics },
      // The run's val_loss is the kept weights' (the best epoch's), not the last epoch's.
      ...(trained.fit && Number.isFinite(trained.fit.bestValLoss)
        ? { summary: { val_loss: { step: trained.fit.bestEpoch, value: trained.fit.bestValLoss } } }
        : {}),
      backend: backend.name,
      device: backend.device,
      artifacts,
    };
  } finally {
    trained.forecaster.dispose();
  }
}
