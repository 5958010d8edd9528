/**
 * Chronological splits. A forecaster is judged on the future it has not seen, so the split never
 * shuffles: the oldest rows train, the next validate (early stopping), the newest test.
 *
 * Three ways to say where the parts begin, all on the rows after time order, duplicates and missing
 * values are resolved (0-based indices):
 * - fractions (`valFraction`, `testFraction`): test = floor(n·testFraction) rows, validation =
 *   floor(n·valFraction) rows (each at least 1), train the rest; floored so that 17,420 rows at
 *   0.1 / 0.2 give exactly 1,742 and 3,484;
 * - rows (`data.split.rows: [valStart, testStart]`): the first validation row and the first test row;
 * - dates (`data.split.valFrom`, `testFrom`): the first row whose timestamp is at or after each date.
 */
import type { DataSplit, ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { parseTimestamp } from './cells';
import { isoTime } from './time-text';

export interface Range {
  /** First index, inclusive. */
  start: number;
  /** Last index, exclusive. */
  end: number;
}

export interface Split {
  train: Range;
  val: Range;
  test: Range;
}

export interface SplitFractions {
  valFraction: number;
  testFraction: number;
}

export const size = (r: Range): number => r.end - r.start;

function checkFractions({ valFraction, testFraction }: SplitFractions): void {
  if (!(valFraction > 0 && valFraction < 1)) throw new InvalidInput('valFraction must be between 0 and 1', 'params.valFraction');
  if (!(testFraction > 0 && testFraction < 1)) throw new InvalidInput('testFraction must be between 0 and 1', 'params.testFraction');
  if (valFraction + testFraction >= 1) {
    throw new InvalidInput('valFraction + testFraction must leave rows to train on', 'params.valFraction');
  }
}

/** Sizes before any check: floored, and validation and test get at least one row each. */
function sizes(n: number, f: SplitFractions): { train: number; val: number; test: number } {
  const test = Math.max(1, Math.floor(n * f.testFraction));
  const val = Math.max(1, Math.floor(n * f.valFraction));
  return { train: n - val - test, val, test };
}

/** Splits `n` time-ordered rows into train, validation and test ranges, in that order. */
export function chronologicalSplit(n: number, fractions: SplitFractions): Split {
  checkFractions(fractions);
  const s = sizes(n, fractions);
  if (s.train < 1) {
    throw new InvalidInput(`${n} rows are too few to split into train, validation and test parts`);
  }
  return {
    train: { start: 0, end: s.train },
    val: { start: s.train, end: s.train + s.val },
    test: { start: s.train + s.val, end: n },
  };
}

const parts = (n: number, valStart: number, testStart: number): Split => ({
  train: { start: 0, end: valStart },
  val: { start: valStart, end: testStart },
  test: { start: testStart, end: n },
});

/** The first row index whose timestamp is at or after `date`, or -1. */
function firstAtOrAfter(timestamps: Float64Array, date: number): number {
  return timestamps.findIndex((t) => t >= date);
}

function dateOf(value: string, field: string): number {
  const t = parseTimestamp(value);
  if (t === null) throw new InvalidInput(`${field}: "${value}" is not a date or time (write it as 2010-11-01 or 2010-11-01T00:00:00Z)`, field);
  return t;
}

/** The split an explicit `data.split` asks for, or an InvalidInput naming the field and what the series holds. */
export function explicitSplit(n: number, timestamps: Float64Array | null, choice: DataSplit): Split {
  if ('rows' in choice) {
    const [valStart, testStart] = choice.rows;
    const field = 'data.split.rows';
    if (!(Number.isInteger(valStart) && Number.isInteger(testStart) && valStart >= 1 && testStart > valStart)) {
      throw new InvalidInput(`${field}: [${valStart}, ${testStart}] must be two row indices, the first at least 1 and the second larger`, field);
    }
    if (testStart > n - 1) {
      throw new InvalidInput(
        `${field}: the first test row ${testStart} is past the last row: the series has ${n} rows after resolution (indices 0-${n - 1})`,
        field,
      );
    }
    return parts(n, valStart, testStart);
  }
  if (!timestamps) throw new InvalidInput('data.split: a split by date needs a time column, and this dataset has none', 'data.split');
  const valFrom = dateOf(choice.valFrom, 'data.split.valFrom');
  const testFrom = dateOf(choice.testFrom, 'data.split.testFrom');
  if (!(valFrom < testFrom)) {
    throw new InvalidInput(`data.split: testFrom (${choice.testFrom}) must come after valFrom (${choice.valFrom})`, 'data.split.testFrom');
  }
  const span = `the series runs from ${isoTime(timestamps[0])} to ${isoTime(timestamps[n - 1])}`;
  const valStart = firstAtOrAfter(timestamps, valFrom);
  if (valStart < 0) throw new InvalidInput(`data.split.valFrom: no row is at or after ${choice.valFrom}; ${span}`, 'data.split.valFrom');
  if (valStart === 0) throw new InvalidInput(`data.split.valFrom: every row is at or after ${choice.valFrom}, leaving none to train on; ${span}`, 'data.split.valFrom');
  const testStart = firstAtOrAfter(timestamps, testFrom);
  if (testStart < 0) throw new InvalidInput(`data.split.testFrom: no row is at or after ${choice.testFrom}; ${span}`, 'data.split.testFrom');
  if (testStart <= valStart) {
    throw new InvalidInput(`data.split.testFrom: no validation rows lie between ${choice.valFrom} and ${choice.testFrom}`, 'data.split.testFrom');
  }
  return parts(n, valStart, testStart);
}

export type SplitMethod = 'fractions' | 'rows' | 'dates';

export const splitMethod = (choice: DataSplit | undefined): SplitMethod => (!choice ? 'fractions' : 'rows' in choice ? 'rows' : 'dates');

/** Where one part lies: first and last row (0-based, inclusive) and their timestamps. */
export interface PartBounds {
  firstRow: number;
  lastRow: number;
  rows: number;
  /** Timestamp of the first and last row; null without a time column. */
  from: string | null;
  to: string | null;
}

export interface SplitBounds {
  method: SplitMethod;
  train: PartBounds;
  val: PartBounds;
  test: PartBounds;
}

export const SPLIT_PARTS = ['train', 'val', 'test'] as const;

export function splitBounds(rows: Split, timestamps: Float64Array | null, method: SplitMethod): SplitBounds {
  const at = (i: number) => (timestamps ? isoTime(timestamps[i]) : null);
  const bounds = (r: Range): PartBounds => ({ firstRow: r.start, lastRow: r.end - 1, rows: size(r), from: at(r.start), to: at(r.end - 1) });
  return { method, train: bounds(rows.train), val: bounds(rows.val), test: bounds(rows.test) };
}

const PART_WORD = { train: 'train', val: 'validation', test: 'test' } as const;

/** "train rows 0-12193 (2010-01-01 to 2011-05-22), validation rows ..." for the log and the CLI. */
export function boundsText(b: SplitBounds): string {
  return SPLIT_PARTS.map((p) => {
    const x = b[p];
    return `${PART_WORD[p]} rows ${x.firstRow}-${x.lastRow} (${x.rows}${x.from ? `; ${x.from} to ${x.to}` : ''})`;
  }).join(', ');
}

/** The boundaries as run params (`split.*`), which the run page and `runs show` read. */
export function boundsParams(b: SplitBounds): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = { 'split.method': b.method };
  for (const p of SPLIT_PARTS) {
    const x = b[p];
    out[`split.${p}.first_row`] = x.firstRow;
    out[`split.${p}.last_row`] = x.lastRow;
    if (x.from !== null && x.to !== null) {
      out[`split.${p}.from`] = x.from;
      out[`split.${p}.to`] = x.to;
    }
  }
  return out;
}

/** Below this many training windows a network has nothing to learn from. */
export const MIN_TRAIN_WINDOWS = 10;

export interface WindowPlan {
  /** Row ranges of the series. */
  rows: Split;
  /**
   * Window ranges (indices into `makeWindows` output), assigned by the row of their target: a
   * test window predicts a test row from the rows before it, which may be validation rows.
   */
  windows: Split;
}

const enoughWindows = (m: number, opts: SplitFractions & { window: number; horizon: number }) =>
  sizes(m, opts).train - (opts.window + opts.horizon - 1) >= MIN_TRAIN_WINDOWS;

/**
 * The fewest rows from which on every row count leaves MIN_TRAIN_WINDOWS training windows under
 * the fraction split: what a dataset should have for a job with these settings.
 */
export function minRowsForWindows(opts: SplitFractions & { window: number; horizon: number }): number {
  checkFractions(opts);
  // Both floors can step up at the same row, so the training part may shrink by one as rows grow:
  // a count is accepted once the next `scan` counts are enough too (each floor steps once per 1/f rows).
  const scan = Math.ceil(2 / Math.min(opts.valFraction, opts.testFraction)) + 2;
  let m = opts.window + opts.horizon - 1 + MIN_TRAIN_WINDOWS + 2;
  for (;;) {
    if (!enoughWindows(m, opts)) {
      m++;
      continue;
    }
    let k = 1;
    while (k <= scan && enoughWindows(m + k, opts)) k++;
    if (k > scan) return m;
    m += k + 1;
  }
}

/**
 * The split for windowed forecasting, or an InvalidInput that says how many rows are needed.
 * Window k reads rows k..k+window-1 and predicts row k+window-1+horizon.
 */
export function planWindowSplit(
  n: number,
  opts: SplitFractions & { window: number; horizon: number },
  split?: Split,
): WindowPlan {
  const reach = opts.window + opts.horizon - 1;
  if (split) {
    const trainWindows = size(split.train) - reach;
    if (trainWindows < MIN_TRAIN_WINDOWS) {
      throw new InvalidInput(
        `The training part is rows 0-${split.train.end - 1} (${size(split.train)} rows); a window of ${opts.window} and a horizon of ${opts.horizon} ` +
          `need at least ${reach + MIN_TRAIN_WINDOWS} training rows (${MIN_TRAIN_WINDOWS} training windows): start validation later`,
        'data.split',
      );
    }
  } else {
    checkFractions(opts);
    if (!enoughWindows(n, opts)) {
      let needed = n + 1;
      while (!enoughWindows(needed, opts)) needed++;
      throw new InvalidInput(
        `The series has ${n} rows; a window of ${opts.window}, a horizon of ${opts.horizon} and a ` +
          `${pct(opts.valFraction)} validation / ${pct(opts.testFraction)} test split need at least ${needed} rows ` +
          `(${MIN_TRAIN_WINDOWS} training windows)`,
      );
    }
  }
  const rows = split ?? chronologicalSplit(n, opts);
  const at = (row: number) => row - reach;
  return {
    rows,
    windows: {
      train: { start: 0, end: at(rows.train.end) },
      val: { start: at(rows.val.start), end: at(rows.val.end) },
      test: { start: at(rows.test.start), end: at(rows.test.end) },
    },
  };
}

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;
