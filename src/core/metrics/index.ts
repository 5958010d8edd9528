/** Forecast metrics on the original scale and the naive baseline. */
export { regressionMetrics, naiveForecast, metricRecord, type RegressionMetrics } from './regression';
