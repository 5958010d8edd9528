/**
 * Step 2: windows, chronological split, features and scaling. The scalers see the training windows
 * only; validation drives early stopping; the test windows are touched once, in evaluate.
 */
import { InvalidInput } from '../../shared/errors';
import {
  calendarCycles,
  inferFrequency,
  inferSeason,
  makeWindows,
  planWindowSplit,
  size,
  type CalendarCycle,
  type Range,
  type SplitBounds,
  type WindowPlan,
  type Windows,
} from '../data';
import {
  encodeWindows,
  fitPreprocessing,
  inputShape,
  sliceInputs,
  type CommonForecastParams,
  type FitSet,
  type ForecastPreprocessing,
  type InputShape,
  type NetworkInput,
  type RawInputs,
} from '../models';
import type { Loaded } from './load';
import type { StepContext } from './report';
import { explicitRows, reportBounds } from './split-bounds';

export interface Prepared {
  windows: Windows;
  /** Every window's raw inputs (target, exogenous, times), aligned with `windows`. */
  raw: RawInputs;
  plan: WindowPlan;
  /** First and last row and timestamp of each part, as the run records them. */
  bounds: SplitBounds;
  preprocessing: ForecastPreprocessing;
  shape: InputShape;
  networkInput: NetworkInput;
  train: FitSet;
  val: FitSet;
  /** Test windows as raw inputs, with their targets and where those sit in the series. */
  test: { raw: RawInputs; actual: Float64Array; targetIndex: Int32Array; count: number };
  /** Season of the seasonal-naive baseline, in steps; null when none is set or can be inferred. */
  season: number | null;
  /** Where the season came from, for the log and the card. */
  seasonSource: 'params' | 'time column' | null;
}

function fitSet(x: Float64Array, y: Float64Array, r: Range, features: number, sampleShape: number[]): FitSet {
  return {
    x: Float32Array.from(x.subarray(r.start * features, r.end * features)),
    y: Float32Array.from(y.subarray(r.start, r.end)),
    count: size(r),
    features,
    sampleShape,
  };
}

function chooseCalendar(loaded: Loaded, wanted: boolean): CalendarCycle[] {
  if (!wanted) return [];
  const ts = loaded.series.timestamps;
  if (!ts) throw new InvalidInput('params.calendar: calendar features need a time column, and this dataset has none', 'params.calendar');
  const freq = inferFrequency(ts);
  const cycles = calendarCycles(freq);
  if (cycles.length === 0) {
    throw new InvalidInput(`params.calendar: the time column is ${freq}; calendar features need hourly to quarterly data`, 'params.calendar');
  }
  return cycles;
}

export function preprocessStep(
  loaded: Loaded,
  params: CommonForecastParams,
  networkInput: NetworkInput,
  ctx: StepContext,
): Prepared {
  ctx.report.progress('preprocess', 0);
  const { series } = loaded;
  const values = series.values;
  const plan = planWindowSplit(values.length, params, explicitRows(series, loaded.split));
  const windows = makeWindows(values, params.window, params.horizon);
  const calendar = chooseCalendar(loaded, params.calendar);
  const raw: RawInputs = {
    target: windows.x,
    exogenous: loaded.exogenous.map((e) => makeWindows(e.values, params.window, params.horizon).x),
    times: series.timestamps ? makeWindows(series.timestamps, params.window, params.horizon).x : null,
  };
  const { rows, windows: w } = plan;
  const preprocessing = fitPreprocessing(
    {
      window: params.window,
      horizon: params.horizon,
      scaler: params.scaler,
      exogenous: loaded.exogenous.map((e) => e.name),
      calendar,
    },
    raw,
    windows.y,
    w.train,
  );
  const encoded = encodeWindows(preprocessing, raw, windows.y);
  const shape = inputShape(preprocessing);
  const features = shape.steps * shape.channels;
  const sampleShape = networkInput === 'flat' ? [features] : [shape.steps, shape.channels];
  const t = w.test;

  const inferred = inferSeason(series.timestamps);
  const season = params.season > 0 ? params.season : inferred;
  const seasonSource = params.season > 0 ? 'params' : inferred !== null ? 'time column' : null;

  ctx.report.info(
    `Chronological split: train ${size(rows.train)} rows, validation ${size(rows.val)}, test ${size(rows.test)}; ` +
      `windows of ${params.window} values, horizon ${params.horizon}: ${size(w.train)} train, ${size(w.val)} validation, ${size(w.test)} test`,
  );
  const bounds = reportBounds(series, rows, loaded.split, ctx);
  ctx.report.info(
    `Inputs: ${shape.steps} steps x ${shape.channels} channel${shape.channels === 1 ? '' : 's'} (${preprocessing.channels.join(', ')}); ` +
      `target: change over the horizon; ${params.scaler} scalers fitted on the ${size(w.train)} training windows only`,
  );
  if (series.timestamps) {
    ctx.report.info(
      `The time column is ${inferFrequency(series.timestamps)}` +
        (season !== null ? `; seasonal-naive baseline with a season of ${season} steps (from the ${seasonSource})` : '; no season inferred (set params.season for a seasonal-naive baseline)'),
    );
  } else if (season !== null) {
    ctx.report.info(`Seasonal-naive baseline with a season of ${season} steps (from the params)`);
  }
  ctx.report.progress('preprocess', 1);
  return {
    windows,
    raw,
    plan,
    bounds,
    preprocessing,
    shape,
    networkInput,
    train: fitSet(encoded.x, encoded.y, w.train, features, sampleShape),
    val: fitSet(encoded.x, encoded.y, w.val, features, sampleShape),
    test: {
      raw: sliceInputs(raw, params.window, t),
      actual: windows.y.slice(t.start, t.end),
      targetIndex: windows.targetIndex.slice(t.start, t.end),
      count: size(t),
    },
    season,
    seasonSource,
  };
}
