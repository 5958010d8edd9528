/**
 * Step 3, for every forecast family: a network trained epoch by epoch (train.ts), ridge in closed
 * form or boosted trees (closed-form.ts), or the auto family's choice among candidates (select.ts).
 */
import type { ParamValue } from '../../shared/contract';
import { FORECAST_FAMILY_SPECS, isNetworkFamily, type AutoParams, type CommonForecastParams, type ForecastFamilyName, type GbdtParams, type LinearParams } from '../models';
import type { TrainTask } from '../workers';
import { trainGbdt, trainRidge } from './closed-form';
import type { Loaded } from './load';
import type { Prepared } from './preprocess';
import type { StepContext } from './report';
import { selectModel } from './select';
import { networkTraining, trainNetwork, type Trained } from './train';

export async function trainStep(
  task: TrainTask,
  family: ForecastFamilyName,
  loaded: Loaded,
  prepared: Prepared,
  params: CommonForecastParams & Record<string, ParamValue>,
  ctx: StepContext,
): Promise<Trained> {
  if (isNetworkFamily(family)) {
    const { forecaster, fit } = await trainNetwork(task, family, prepared, params, ctx);
    return { forecaster, fit, training: networkTraining(fit), metrics: {}, chosen: {} };
  }
  ctx.report.progress('train', 0);
  let trained: Trained;
  switch (FORECAST_FAMILY_SPECS[family].fit) {
    case 'ridge':
      trained = trainRidge(prepared, params as unknown as LinearParams, 'mae', ctx);
      break;
    case 'gbdt':
      trained = trainGbdt(prepared, params as unknown as GbdtParams, ctx);
      break;
    default:
      trained = await selectModel(task, loaded, prepared, params as unknown as AutoParams, ctx);
  }
  ctx.report.progress('train', 1, 0);
  return trained;
}
