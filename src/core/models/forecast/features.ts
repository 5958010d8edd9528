/**
 * What the network sees and predicts, for forecasters on lag windows.
 *
 * Each window becomes a short sequence of `window - 1` time steps with one channel per signal:
 * - the target's consecutive differences inside the window;
 * - the target's own level at each step (optional, `levels`): a stationary series that returns to
 *   its mean (a noisy sensor) is forecast from where it is, which differences alone cannot say;
 * - each exogenous column's value at the same time step (optional);
 * - calendar channels from the time column, sin/cos of the hour of day, day of week, day of
 *   year or month of year at that step (optional). The target's own time is `horizon` steps
 *   after the window's last one, so it is known from the inputs' times.
 * The target is the change from the window's last value to the value `horizon` steps later.
 * Channels and target are scaled (standard, min-max or robust) with statistics from the training
 * windows only.
 *
 * Why differences: levels drift (CO2 keeps rising) and a network trained on old levels extrapolates
 * badly to new ones, while changes stay in the range it was trained on. It also makes the naive
 * last-value forecast the network's zero point: it learns a correction to "no change".
 * Predictions are turned back into levels before any metric is taken.
 *
 * Every input value of window k comes from rows at or before the window's last row, so no input
 * sees its target or anything after it (windows.test.ts and features.test.ts prove it).
 */
import {
  calendarChannelNames,
  calendarFeatures,
  fitScaler,
  inverseTransform,
  transform,
  type CalendarCycle,
  type Range,
  type Scaler,
  type ScalerKind,
} from '../../data';

export interface ForecastPreprocessing {
  /** Recorded with the model so inference prepares inputs the same way. */
  inputs: 'window-differences';
  output: 'change-over-horizon';
  window: number;
  horizon: number;
  scaler: ScalerKind;
  /** Whether the target's levels are a channel beside its differences. */
  levels: boolean;
  /** Exogenous columns, in channel order. */
  exogenous: string[];
  calendar: CalendarCycle[];
  /** One name per channel: `target_diff`, `target_level` (with levels), the exogenous columns, the calendar channels. */
  channels: string[];
  /** Per channel. */
  x: Scaler;
  y: Scaler;
}

/** Raw windows, as they come out of the series: every array row-major `count` x `window`. */
export interface RawInputs {
  target: ArrayLike<number>;
  /** One per exogenous column, in the preprocessing's order. */
  exogenous?: readonly ArrayLike<number>[];
  /** Timestamps (UTC ms) of each window's rows; needed when the preprocessing has calendar channels. */
  times?: ArrayLike<number> | null;
}

export interface InputShape {
  /** Time steps per sample: window - 1. */
  steps: number;
  channels: number;
}

export const inputShape = (p: Pick<ForecastPreprocessing, 'window' | 'channels'>): InputShape => ({
  steps: p.window - 1,
  channels: p.channels.length,
});

export function channelNames(exogenous: readonly string[], calendar: readonly CalendarCycle[], levels = false): string[] {
  return ['target_diff', ...(levels ? ['target_level'] : []), ...exogenous, ...calendarChannelNames(calendar)];
}

/** Unscaled inputs, row-major `count` x `steps` x `channels`. */
function rawFeatures(
  window: number,
  levels: boolean,
  exogenous: number,
  calendar: readonly CalendarCycle[],
  raw: RawInputs,
): Float64Array {
  const count = Math.floor(raw.target.length / window);
  const steps = window - 1;
  const calCols = calendar.length * 2;
  const lv = levels ? 1 : 0;
  const channels = 1 + lv + exogenous + calCols;
  if ((raw.exogenous?.length ?? 0) !== exogenous) {
    throw new Error(`the model reads ${exogenous} exogenous column(s); got ${raw.exogenous?.length ?? 0}`);
  }
  for (const e of raw.exogenous ?? []) {
    if (e.length !== raw.target.length) throw new Error('exogenous windows must be as long as the target windows');
  }
  if (calCols > 0 && (!raw.times || raw.times.length !== raw.target.length)) {
    throw new Error('the model uses calendar features: the windows need their timestamps');
  }
  const out = new Float64Array(count * steps * channels);
  for (let k = 0; k < count; k++) {
    const row = k * window;
    const cal = calCols > 0 ? calendarFeatures(sliceOf(raw.times!, row + 1, row + window), calendar) : null;
    for (let s = 0; s < steps; s++) {
      const at = (k * steps + s) * channels;
      const j = row + s + 1;
      out[at] = raw.target[j] - raw.target[j - 1];
      if (levels) out[at + 1] = raw.target[j];
      for (let e = 0; e < exogenous; e++) out[at + 1 + lv + e] = raw.exogenous![e][j];
      for (let c = 0; c < calCols; c++) out[at + 1 + lv + exogenous + c] = cal![s * calCols + c];
    }
  }
  return out;
}

function sliceOf(a: ArrayLike<number>, from: number, to: number): Float64Array {
  const out = new Float64Array(to - from);
  for (let i = from; i < to; i++) out[i - from] = a[i];
  return out;
}

/** The last value of each window: the naive forecast, and the level predictions are added to. */
export function lastValues(target: ArrayLike<number>, window: number): Float64Array {
  const count = Math.floor(target.length / window);
  const out = new Float64Array(count);
  for (let k = 0; k < count; k++) out[k] = target[k * window + window - 1];
  return out;
}

function changes(raw: RawInputs, y: ArrayLike<number>, window: number): Float64Array {
  const last = lastValues(raw.target, window);
  return Float64Array.from(last, (v, k) => y[k] - v);
}

export interface PreprocessingOptions {
  window: number;
  horizon: number;
  scaler: ScalerKind;
  exogenous: string[];
  calendar: CalendarCycle[];
  /** Add the target's levels as a channel (default: differences only). */
  levels?: boolean;
}

/** Fits the scalers on the training windows `train` (indices into `raw`/`y`) only. */
export function fitPreprocessing(
  o: PreprocessingOptions,
  raw: RawInputs,
  y: ArrayLike<number>,
  train: Range,
): ForecastPreprocessing {
  const part = sliceInputs(raw, o.window, train);
  const levels = o.levels ?? false;
  const channels = channelNames(o.exogenous, o.calendar, levels);
  const x = rawFeatures(o.window, levels, o.exogenous.length, o.calendar, part);
  return {
    inputs: 'window-differences',
    output: 'change-over-horizon',
    window: o.window,
    horizon: o.horizon,
    scaler: o.scaler,
    levels,
    exogenous: [...o.exogenous],
    calendar: [...o.calendar],
    channels,
    x: fitScaler(x, channels.length, o.scaler),
    y: fitScaler(changes(part, sliceOf(y, train.start, train.end), o.window), 1, o.scaler),
  };
}

/** The windows in range `r` of raw inputs. */
export function sliceInputs(raw: RawInputs, window: number, r: Range): RawInputs {
  const from = r.start * window;
  const to = r.end * window;
  return {
    target: sliceOf(raw.target, from, to),
    exogenous: raw.exogenous?.map((e) => sliceOf(e, from, to)),
    times: raw.times ? sliceOf(raw.times, from, to) : null,
  };
}

export interface EncodedWindows {
  /** Scaled inputs, row-major `count` x `steps` x `channels`. */
  x: Float64Array;
  /** Scaled targets. */
  y: Float64Array;
  last: Float64Array;
}

export function encodeWindows(p: ForecastPreprocessing, raw: RawInputs, y: ArrayLike<number>): EncodedWindows {
  return { x: encodeInputs(p, raw), y: transform(p.y, changes(raw, y, p.window)), last: lastValues(raw.target, p.window) };
}

/** Scaled inputs for raw windows, for training and inference alike. */
export function encodeInputs(p: ForecastPreprocessing, raw: RawInputs): Float64Array {
  return transform(p.x, rawFeatures(p.window, p.levels, p.exogenous.length, p.calendar, raw));
}

/** Network outputs (scaled changes) back to levels on the original scale. */
export function decodeOutputs(p: ForecastPreprocessing, out: ArrayLike<number>, last: ArrayLike<number>): Float64Array {
  const change = inverseTransform(p.y, out);
  return Float64Array.from(change, (c, k) => last[k] + c);
}
