/**
 * Step 2: windows, chronological split, features and scaling. The scalers see the training windows
 * only; validation drives early stopping and model selection; the test windows are touched once,
 * in evaluate. Which rows validate and test does not depend on the window: a window's split is set
 * by the row of its target, so forecasters reading windows of different lengths (the auto family's
 * candidates) are scored on the same targets.
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
  type EncodedWindows,
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
import { boundsOf, explicitRows, logBounds } from './split-bounds';

/** Held-out windows as raw inputs, with their targets and where those sit in the series. */
export interface HeldOut {
  raw: RawInputs;
  actual: Float64Array;
  targetIndex: Int32Array;
  count: number;
}

export interface Prepared {
  /** The params the windows were made with (window, horizon, split, scaler...). */
  params: CommonForecastParams;
  windows: Windows;
  /** Every window's raw inputs (target, exogenous, times), aligned with `windows`. */
  raw: RawInputs;
  plan: WindowPlan;
  /** First and last row and timestamp of each part, as the run records them. */
  bounds: SplitBounds;
  preprocessing: ForecastPreprocessing;
  shape: InputShape;
  networkInput: NetworkInput;
  /** Every window encoded in float64 (inputs, scaled targets, last values), aligned with `windows`. */
  encoded: EncodedWindows;
  /** The training and validation windows as the networks take them (float32). */
  train: FitSet;
  val: FitSet;
  /** The validation windows as raw inputs: what model selection and `val.*` metrics score. */
  validation: HeldOut;
  test: HeldOut;
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

/** The windows, split, fitted preprocessing and encoded sets for `params` (its window and horizon), without logging. */
export function prepareWindows(loaded: Loaded, params: CommonForecastParams, networkInput: NetworkInput, calendar: CalendarCycle[]): Prepared {
  const { series } = loaded;
  const values = series.values;
  const plan = planWindowSplit(values.length, params, explicitRows(series, loaded.split));
  const windows = makeWindows(values, params.window, params.horizon);
  const raw: RawInputs = {
    target: windows.x,
    exogenous: loaded.exogenous.map((e) => makeWindows(e.values, params.window, params.horizon).x),
    times: series.timestamps ? makeWindows(series.timestamps, params.window, params.horizon).x : null,
  };
  const w = plan.windows;
  const preprocessing = fitPreprocessing(
    {
      window: params.window,
      horizon: params.horizon,
      scaler: params.scaler,
      levels: params.levels,
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
  const heldOut = (r: Range): HeldOut => ({
    raw: sliceInputs(raw, params.window, r),
    actual: windows.y.slice(r.start, r.end),
    targetIndex: windows.targetIndex.slice(r.start, r.end),
    count: size(r),
  });
  const inferred = inferSeason(series.timestamps);
  return {
    params,
    windows,
    raw,
    plan,
    bounds: boundsOf(series, plan.rows, loaded.split),
    preprocessing,
    shape,
    networkInput,
    encoded,
    train: fitSet(encoded.x, encoded.y, w.train, features, sampleShape),
    val: fitSet(encoded.x, encoded.y, w.val, features, sampleShape),
    validation: heldOut(w.val),
    test: heldOut(w.test),
    season: params.season > 0 ? params.season : inferred,
    seasonSource: params.season > 0 ? 'params' : inferred !== null ? 'time column' : null,
  };
}

export function preprocessStep(
  loaded: Loaded,
  params: CommonForecastParams,
  networkInput: NetworkInput,
  ctx: StepContext,
): Prepared {
  ctx.report.progress('preprocess', 0);
  const { series } = loaded;
  const calendar = chooseCalendar(loaded, params.calendar);
  const prepared = prepareWindows(loaded, params, networkInput, calendar);
  const { plan, preprocessing, shape, season, seasonSource } = prepared;
  const { rows, windows: w } = plan;
  ctx.report.info(
    `Chronological split: train ${size(rows.train)} rows, validation ${size(rows.val)}, test ${size(rows.test)}; ` +
      `windows of ${params.window} values, horizon ${params.horizon}: ${size(w.train)} train, ${size(w.val)} validation, ${size(w.test)} test`,
  );
  logBounds(prepared.bounds, ctx);
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
  return prepared;
}

/**
 * The validation and test windows for another window length, on the same targets: what a
 * forecaster reading `window` values (an auto candidate, a blend) is scored on.
 */
export function heldOutFor(loaded: Loaded, prepared: Prepared, window: number): { validation: HeldOut; test: HeldOut } {
  if (window === prepared.preprocessing.window) return { validation: prepared.validation, test: prepared.test };
  const again = prepareWindows(loaded, { ...prepared.params, window }, prepared.networkInput, prepared.preprocessing.calendar);
  const same = (a: Int32Array, b: Int32Array) => a.length === b.length && a.every((v, i) => v === b[i]);
  if (!same(again.validation.targetIndex, prepared.validation.targetIndex) || !same(again.test.targetIndex, prepared.test.targetIndex)) {
    throw new Error(`windows of ${window} values would be scored on other targets than windows of ${prepared.preprocessing.window}`);
  }
  return { validation: again.validation, test: again.test };
}
