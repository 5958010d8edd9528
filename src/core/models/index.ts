/**
 * Model families: each declares its params schema with defaults, its default search space, and
 * (in the kit) builds, trains, predicts with, saves and loads its network.
 *
 * This index loads no TensorFlow.js: the core imports it to check params when a job is submitted,
 * and TensorFlow.js costs about half a second and 50 MB to load. The network half comes from
 * `forecastKit()`, which the worker awaits once.
 */
import { TrainSpec, type MetricKey, type ModelFamily, type ModelFamilyInfo, type ParamValue, type SearchSpace } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { ANOMALY_FAMILY_SPECS } from './anomaly/families';
import type { AnomalyFamilyName } from './anomaly/detector';
import { FORECAST_FAMILY_SPECS, type ForecastFamilyName } from './forecast/families';
import type { Forecaster } from './forecast/predictor';
import { anomalyMetricKeys, forecastMetricKeys } from './metric-keys';

export { MlpParamsSchema, MLP_DEFAULTS, MLP_SEARCH_SPACE, resolveMlpParams, mlpParamsRecord, type MlpParams } from './forecast/mlp';
export { LinearParamsSchema, LINEAR_DEFAULTS, resolveLinearParams, type LinearParams } from './forecast/linear';
export { GbdtParamsSchema, GBDT_DEFAULTS, resolveGbdtParams, type GbdtParams } from './forecast/gbdt-params';
export {
  AutoParamsSchema,
  AUTO_DEFAULTS,
  AUTO_CANDIDATE_FAMILIES,
  resolveAutoParams,
  autoCandidates,
  type AutoParams,
  type AutoCandidateFamily,
} from './forecast/auto';
export { RecurrentParamsSchema, RECURRENT_DEFAULTS, resolveRecurrentParams, type RecurrentParams } from './forecast/recurrent';
export { Conv1dParamsSchema, CONV1D_DEFAULTS, resolveConv1dParams, type Conv1dParams } from './forecast/conv1d';
export { COMMON_FORECAST_PARAMS, type CommonForecastParams } from './forecast/params';
export {
  FORECAST_FAMILY_NAMES,
  FORECAST_FAMILY_SPECS,
  isForecastFamily,
  isNetworkFamily,
  NETWORK_FAMILY_NAMES,
  type NetworkFamilyName,
  type ForecastFamilyName,
  type ForecastFamilySpec,
} from './forecast/families';
export {
  fitPreprocessing,
  encodeWindows,
  encodeInputs,
  decodeOutputs,
  inputShape,
  channelNames,
  sliceInputs,
  lastValues,
  type ForecastPreprocessing,
  type PreprocessingOptions,
  type EncodedWindows,
  type RawInputs,
  type InputShape,
} from './forecast/features';
export type { FitSet, FitOptions, FitResult, EpochEnd } from './forecast/fit';
export { fitRidge, ridgeForecaster, validationError, type RidgeChoice, type Criterion, type EncodedSamples, type ValidationSamples } from './forecast/ridge-model';
export { L2_GRID, type RidgeCoefficients } from './forecast/ridge';
export { fitGbdt, type GbdtFit, type GbdtOptions } from './forecast/gbdt';
export { gbdtForecaster } from './forecast/gbdt-model';
export { blendForecaster, tailWindows, type BlendMember } from './forecast/blend';
export type { Forecaster, NetworkInput, PredictorKind, SaveInfo } from './forecast/predictor';
export type { TrainingSnapshot, CheckpointRead } from './forecast/checkpoint';

export { forecastMetricKeys, anomalyMetricKeys, defaultObjective } from './metric-keys';
export { seededRandom, permutation, type SeededRandom } from './random';

export type ForecastKit = typeof import('./forecast/kit');

/** Build, train, predict, save and load, with TensorFlow.js loaded on first use. */
export function forecastKit(): Promise<ForecastKit> {
  return import('./forecast/kit');
}

/**
 * Loads the forecaster saved in `modelDir`, whatever its family: preprocessing.json says which
 * predictor files sit beside it (a network's model.json and weights.bin, ridge.json, gbdt.json, or
 * a blend's members).
 */
export async function loadForecaster(modelDir: string): Promise<Forecaster> {
  return (await forecastKit()).loadForecaster(modelDir);
}

/** What the core knows of a family before any network exists. */
export interface ModelFamilyEntry {
  name: ModelFamily;
  task: 'forecast' | 'anomaly';
  /** Params with defaults filled in; InvalidInput naming `params.<key>` when one is wrong. */
  resolveParams(raw: Record<string, ParamValue> | undefined): Record<string, ParamValue>;
  defaults: Record<string, ParamValue>;
  /** The default HPO search space. */
  searchSpace: SearchSpace;
  /** The metric keys its runs may record (see metric-keys.ts): what a study may name as its objective. */
  metricKeys: readonly MetricKey[];
}

const forecastEntry = (name: ForecastFamilyName): ModelFamilyEntry => {
  const spec = FORECAST_FAMILY_SPECS[name];
  return {
    name,
    task: 'forecast',
    resolveParams: (raw) => ({ ...spec.resolve(raw) }),
    defaults: { ...spec.defaults },
    searchSpace: spec.searchSpace,
    // Only networks report per-epoch loss and val_loss; ridge, trees and auto's choice have no epochs to prune on.
    metricKeys: forecastMetricKeys({ perEpoch: spec.fit === 'network' }),
  };
};

function anomalyEntry(name: AnomalyFamilyName): ModelFamilyEntry {
  const spec = ANOMALY_FAMILY_SPECS[name];
  return {
    name,
    task: 'anomaly',
    resolveParams: spec.resolve,
    defaults: spec.defaults,
    searchSpace: spec.searchSpace,
    metricKeys: anomalyMetricKeys({ perEpoch: name === 'autoencoder' }),
  };
}

export * from './anomaly';
export type AnomalyKit = typeof import('./anomaly/kit');

/** Train, score, save and load anomaly detectors, with TensorFlow.js loaded on first use. */
export function anomalyKit(): Promise<AnomalyKit> {
  return import('./anomaly/kit');
}

/** Every family a job may name. Anomaly families register here beside the forecast ones. */
export const MODEL_FAMILIES: Partial<Record<ModelFamily, ModelFamilyEntry>> = {
  auto: forecastEntry('auto'),
  linear: forecastEntry('linear'),
  gbdt: forecastEntry('gbdt'),
  mlp: forecastEntry('mlp'),
  lstm: forecastEntry('lstm'),
  gru: forecastEntry('gru'),
  conv1d: forecastEntry('conv1d'),
  autoencoder: anomalyEntry('autoencoder'),
  isolation_forest: anomalyEntry('isolation_forest'),
};

export function modelFamily(model: string): ModelFamilyEntry {
  const family = Object.prototype.hasOwnProperty.call(MODEL_FAMILIES, model)
    ? MODEL_FAMILIES[model as ModelFamily]
    : undefined;
  if (!family) {
    throw new InvalidInput(`Unknown model "${model}"; known: ${Object.keys(MODEL_FAMILIES).join(', ')}`, 'model');
  }
  return family;
}

/** Submit-time check of a job's params for its model family. */
export function resolveParams(model: string, raw: Record<string, ParamValue> | undefined): Record<string, ParamValue> {
  return modelFamily(model).resolveParams(raw);
}

/** A family's default search space, for a study that does not bring its own. */
export function defaultSearchSpace(model: string): SearchSpace {
  return modelFamily(model).searchSpace;
}

/** What each task reads beside the target: anomaly families score the target alone against a label column. */
const USES: Record<ModelFamilyEntry['task'], ModelFamilyInfo['uses']> = {
  forecast: { labelColumn: false, exogenous: true },
  anomaly: { labelColumn: true, exogenous: false },
};

/** Every registered family, for the faces to list (the contract's default family marked). */
export function listModelFamilies(): ModelFamilyInfo[] {
  const fallback = TrainSpec.shape.model.parse(undefined);
  return Object.values(MODEL_FAMILIES)
    .filter((f): f is ModelFamilyEntry => f !== undefined)
    .map((f) => ({ name: f.name, task: f.task, isDefault: f.name === fallback, defaults: { ...f.defaults }, uses: USES[f.task] }));
}

/** Submit-time check that a job names only the column fields its family reads. */
export function checkFamilyColumns(spec: { model: string; exogenous: string[]; labelColumn?: string }): void {
  const family = modelFamily(spec.model);
  const uses = USES[family.task];
  if (spec.labelColumn !== undefined && !uses.labelColumn) {
    throw new InvalidInput(`The ${family.name} model forecasts; a label column is for the anomaly families. Remove it`, 'spec.labelColumn');
  }
  if (spec.exogenous.length > 0 && !uses.exogenous) {
    throw new InvalidInput(`The ${family.name} model scores the target alone; remove the exogenous columns`, 'spec.exogenous');
  }
}
