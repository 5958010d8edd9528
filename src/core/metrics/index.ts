/** Forecast metrics on the original scale and the naive baseline; anomaly metrics against labels. */
export {
  regressionMetrics,
  naiveForecast,
  seasonalNaiveForecast,
  skillScore,
  metricRecord,
  type RegressionMetrics,
} from './regression';
export {
  thresholdMetrics,
  rocAuc,
  averagePrecision,
  anomalyMetrics,
  anomalyMetricRecord,
  type ThresholdMetrics,
  type AnomalyMetrics,
} from './classification';
