/** Anomaly families without TensorFlow.js: params, defaults, search spaces, family names. */
export {
  AutoencoderParamsSchema,
  IsolationForestParamsSchema,
  ThresholdMethod,
  AUTOENCODER_DEFAULTS,
  ISOLATION_FOREST_DEFAULTS,
  AUTOENCODER_SEARCH_SPACE,
  ISOLATION_FOREST_SEARCH_SPACE,
  resolveAutoencoderParams,
  resolveIsolationForestParams,
  type AutoencoderParams,
  type IsolationForestParams,
  type AnomalyParams,
} from './params';
export { ANOMALY_FAMILY_SPECS, type AnomalyFamilySpec } from './families';
export {
  ANOMALY_FAMILY_NAMES,
  isAnomalyFamily,
  chooseThreshold,
  type AnomalyFamilyName,
  type AnomalyDetector,
  type Threshold,
  type ThresholdRule,
} from './detector';
