/** Anomaly families without TensorFlow.js: params, defaults, search spaces, family names. */
export {
  AutoencoderParamsSchema,
  IsolationForestParamsSchema,
  ThresholdMethod,
  THRESHOLD_CHOICES,
  type ThresholdChoice,
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
export { FOREST_FEATURE_NAMES, MIN_FOREST_WINDOW, UNSCORED_ROW_SCORE } from './windows';
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
