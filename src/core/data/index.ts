/** Dataset import and preparation: CSV analysis, series loading, chronological splits, scaling, windows. */
export { analyzeCsv, previewCsv, type CsvAnalysis } from './analyze';
export { loadSeries, type Series, type SeriesOptions } from './series';
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
export { fitScaler, transform, inverseTransform, type StandardScaler } from './scaler';
export { makeWindows, type Windows } from './windows';
