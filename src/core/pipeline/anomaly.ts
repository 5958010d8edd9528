/**
 * One anomaly-detection job, start to finish, inside a worker: the same five steps and the same
 * progress, log and metric reporting as a forecast job. The autoencoder runs on the selected
 * TensorFlow.js backend; the isolation forest is plain JavaScript on the CPU and records so.
 */
import { InvalidInput } from '../../shared/errors';
import { cpuDevice } from '../compute';
import { isAnomalyFamily, resolveAutoencoderParams, resolveIsolationForestParams } from '../models';
import type { TrainResult, TrainTask } from '../workers';
import { selectTaskBackend } from './backend';
import { anomalyRegisterStep } from './anomaly-register';
import { anomalyEvaluateStep, anomalyLoadStep, anomalyPreprocessStep, anomalyTrainStep } from './anomaly-steps';
import { Reporter, checkCancelled, type StepContext } from './report';
import { dataParams } from './split-bounds';
import type { RunOptions } from './run';

export async function runAnomalyTask(task: TrainTask, opts: RunOptions): Promise<TrainResult> {
  const ctx: StepContext = { report: new Reporter(opts.emit), shouldStop: opts.shouldStop ?? (() => false) };
  const family = task.spec.model;
  if (!isAnomalyFamily(family)) throw new InvalidInput(`Model family "${family}" is not an anomaly family`, 'model');
  const params = family === 'autoencoder' ? resolveAutoencoderParams(task.spec.params) : resolveIsolationForestParams(task.spec.params);
  if ((task.spec.exogenous ?? []).length > 0) {
    throw new InvalidInput('The anomaly families score the target alone; remove the exogenous columns', 'exogenous');
  }

  let backend = { name: 'js', device: cpuDevice() };
  if (family === 'autoencoder') {
    backend = await selectTaskBackend(task, ctx);
  } else {
    ctx.report.info(`The isolation forest runs in plain JavaScript on the ${backend.device}`);
  }

  checkCancelled(ctx);
  const loaded = await anomalyLoadStep(task, ctx);
  checkCancelled(ctx);
  const plan = anomalyPreprocessStep(loaded, params, ctx);
  checkCancelled(ctx);
  const trained = await anomalyTrainStep(family, loaded, plan, params, ctx);
  try {
    checkCancelled(ctx);
    const evaluated = await anomalyEvaluateStep(loaded, plan, trained, params, ctx);
    checkCancelled(ctx);
    // The rule the threshold was actually chosen by (`auto` resolves to best_f1 or quantile), for the run page.
    const record = { ...params, thresholdChosenBy: evaluated.threshold.method, ...dataParams(loaded.frame.summary, plan.bounds) };
    const artifacts = await anomalyRegisterStep(
      { task, params: record, seed: params.seed, loaded, plan, trained, evaluated, backend: backend.name, device: backend.device },
      ctx,
    );
    return { params: record, metrics: evaluated.metrics, backend: backend.name, device: backend.device, artifacts };
  } finally {
    trained.detector.dispose();
  }
}
