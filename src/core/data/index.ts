/** Dataset import and preparation: CSV analysis, series loading, chronological splits, scaling, windows, calendar features. */
export { analyzeCsv, previewCsv, analyzeTable, previewTable, type CsvAnalysis, type TableAnalysis } from './analyze';
export { loadSeries, seriesFromTable, readNumericColumn, type Series, type SeriesOptions } from './series';
export type { DataTable, TableFormat } from './table';
export { readTable, csvTable, tableFormat } from './read-table';
export { isParquet, parseParquet } from './parquet';
export {
  validateTrainingTable,
  loadTrainingFrame,
  readLabels,
  planAnomalySplit,
  MIN_ANOMALY_TRAIN_WINDOWS,
  type TrainingColumns,
  type TrainingFrame,
  type AnomalyPlan,
} from './validate';
export {
  chronologicalSplit,
  planWindowSplit,
  size,
  MIN_TRAIN_WINDOWS,
  type Range,
  type Split,
  type SplitFractions,
  type WindowPlan,
} from './split';
export { fitScaler, transform, inverseTransform, sortedQuantile, SCALER_KINDS, type Scaler, type ScalerKind } from './scaler';
export {
  inferFrequency,
  inferSeason,
  medianStep,
  calendarCycles,
  calendarFeatures,
  calendarChannelNames,
  SEASON_OF,
  type Frequency,
  type CalendarCycle,
} from './calendar';
export { makeWindows, type Windows } from './windows';
