/** Dataset import and preparation: CSV analysis, series loading, chronological splits, scaling, windows, calendar features. */
export { analyzeCsv, previewCsv, analyzeTable, previewTable, type CsvAnalysis, type TableAnalysis } from './analyze';
export { analyzeCsvStream } from './analyze-stream';
export { columnSparklines } from './sparklines';
export { readNumericColumn, type Series, type SeriesOptions } from './series';
export { summaryLines, summaryParams, SUMMARY_EXAMPLES, type DataSummary } from './summary';
export { isoTime } from './time-text';
export { checkDataHandling } from './handling-check';
export type { OutOfOrderRow, RepeatedTime } from './order';
export type { MissingCount } from './missing';
export type { DataTable, TableFormat } from './table';
export { readTable, csvTable, tableFormat } from './read-table';
export { checkTextFile } from './csv';
export { isParquet, parseParquet } from './parquet';
export {
  validateTrainingTable,
  loadTrainingFrame,
  loadSeries,
  seriesFromTable,
  readLabels,
  planAnomalySplit,
  MIN_ANOMALY_TRAIN_WINDOWS,
  type TrainingColumns,
  type TrainingFrame,
  type AnomalyPlan,
} from './validate';
export {
  chronologicalSplit,
  explicitSplit,
  minRowsForWindows,
  splitMethod,
  splitBounds,
  boundsText,
  boundsParams,
  SPLIT_PARTS,
  type SplitMethod,
  type SplitBounds,
  type PartBounds,
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
