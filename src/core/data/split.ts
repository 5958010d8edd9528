/**
 * Chronological splits. A forecaster is judged on the future it has not seen, so the split never
 * shuffles: the oldest rows train, the next validate (early stopping), the newest test.
 */
import { InvalidInput } from '../../shared/errors';

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

/** Sizes before any check: validation and test get at least one row each. */
function sizes(n: number, f: SplitFractions): { train: number; val: number; test: number } {
  const test = Math.max(1, Math.round(n * f.testFraction));
  const val = Math.max(1, Math.round(n * f.valFraction));
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

/**
 * The split for windowed forecasting, or an InvalidInput that says how many rows are needed.
 * Window k reads rows k..k+window-1 and predicts row k+window-1+horizon.
 */
export function planWindowSplit(
  n: number,
  opts: SplitFractions & { window: number; horizon: number },
): WindowPlan {
  checkFractions(opts);
  const reach = opts.window + opts.horizon - 1;
  const enough = (m: number) => sizes(m, opts).train - reach >= MIN_TRAIN_WINDOWS;
  if (!enough(n)) {
    let needed = n + 1;
    while (!enough(needed)) needed++;
    throw new InvalidInput(
      `The series has ${n} rows; a window of ${opts.window}, a horizon of ${opts.horizon} and a ` +
        `${pct(opts.valFraction)} validation / ${pct(opts.testFraction)} test split need at least ${needed} rows ` +
        `(${MIN_TRAIN_WINDOWS} training windows)`,
    );
  }
  const rows = chronologicalSplit(n, opts);
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
