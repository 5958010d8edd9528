/**
 * One training job, start to finish, inside a worker: backend, then load, preprocess, train,
 * evaluate, register. Returns what the core records for the run.
 */
import { InvalidInput } from '../../shared/errors';
import { forcedBackend, selectBackend } from '../compute';
import { forecastKit, mlpParamsRecord, resolveMlpParams } from '../models';
import type { TrainResult, TrainTask } from '../workers';
import { evaluateStep } from './evaluate';
import { loadStep } from './load';
import { preprocessStep } from './preprocess';
import { registerStep } from './register';
import { Reporter, checkCancelled, type Emit, type StepContext } from './report';
import { trainStep } from './train';

export interface RunOptions {
  emit: Emit;
  /** Polled between steps and before every training batch. */
  shouldStop?: () => boolean;
}

export async function runTrainTask(task: TrainTask, opts: RunOptions): Promise<TrainResult> {
  const ctx: StepContext = { report: new Reporter(opts.emit), shouldStop: opts.shouldStop ?? (() => false) };
  if (task.spec.model !== 'mlp') {
    throw new InvalidInput(`Model family "${task.spec.model}" is not supported by this worker`, 'model');
  }
  const params = resolveMlpParams(task.spec.params);

  const backend = await selectBackend(forcedBackend(task.backend));
  for (const s of backend.skipped) ctx.report.log('warn', `Backend ${s.name} skipped: ${s.reason}`);
  ctx.report.info(`Backend ${backend.name} on ${backend.device}`);

  checkCancelled(ctx);
  const loaded = await loadStep(task, ctx);
  checkCancelled(ctx);
  const prepared = preprocessStep(loaded, params, ctx);
  checkCancelled(ctx);
  const trained = await trainStep(prepared, params, ctx);
  try {
    checkCancelled(ctx);
    const evaluated = await evaluateStep(trained.model, loaded, prepared, ctx);
    checkCancelled(ctx);
    const record = mlpParamsRecord(params);
    const artifacts = await registerStep(
      { task, params: record, seed: params.seed, loaded, prepared, trained, evaluated, backend: backend.name, device: backend.device },
      ctx,
    );
    return { params: record, metrics: evaluated.metrics, backend: backend.name, device: backend.device, artifacts };
  } finally {
    (await forecastKit()).disposeModel(trained.model);
  }
}
