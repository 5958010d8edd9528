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
  bestF1Threshold,
  labelledEvents,
  eventMetrics,
  type BestF1,
  type LabelledEvent,
  type EventMetrics,
  type ThresholdMetrics,
  type AnomalyMetrics,
} from './classification';
