/**
 * The check a dataset passes before any training starts: every column the job names exists and
 * holds what it must, the time column is in order without repeats, and there are rows enough for
 * the window and the split. A failure is an InvalidInput with the row, the column and the reason;
 * nothing is quietly coerced, dropped or filled.
 *
 * What each column must be:
 * - target and exogenous columns: finite numbers, no missing values (threshold: 0), no text;
 * - the label column (anomaly families): 0 or 1 in every row;
 * - the time column (the one named, else the first date/time column): every row a date or time,
 *   strictly increasing. Without one, the file's row order is the time order.
 */
import { InvalidInput } from '../../shared/errors';
import { readTable } from './read-table';
import { columnIndex, readNumericColumn, seriesFromTable, type Series } from './series';
import { chronologicalSplit, type Split } from './split';
import type { DataTable, TableFormat } from './table';

export interface TrainingColumns {
  target: string;
  /** Extra numeric inputs beside the target (forecast families). */
  exogenous?: readonly string[];
  /** A 0/1 column marking known anomalies: scored against, never trained on. */
  labelColumn?: string;
  timeColumn?: string | null;
}

export interface TrainingFrame {
  format: TableFormat;
  series: Series;
  exogenous: { name: string; values: Float64Array }[];
  /** 1 where the label column marks an anomaly; null without a label column. */
  labels: Uint8Array | null;
}

/** The same column named for two jobs at once would train on its own answer. */
function checkDistinct(cols: TrainingColumns): void {
  const exo = cols.exogenous ?? [];
  const seen = new Set<string>();
  for (const name of exo) {
    if (name === cols.target) throw new InvalidInput(`Column "${name}" is the target; it cannot also be an exogenous input`, 'exogenous');
    if (seen.has(name)) throw new InvalidInput(`Exogenous column "${name}" is listed twice`, 'exogenous');
    seen.add(name);
  }
  if (cols.labelColumn !== undefined) {
    if (cols.labelColumn === cols.target) {
      throw new InvalidInput(`Column "${cols.labelColumn}" cannot be both the target and the label column`, 'labelColumn');
    }
    if (seen.has(cols.labelColumn)) {
      throw new InvalidInput(`The label column "${cols.labelColumn}" cannot also be an exogenous input: the model would see the answers`, 'labelColumn');
    }
  }
  if (cols.timeColumn && (cols.timeColumn === cols.target || seen.has(cols.timeColumn))) {
    throw new InvalidInput(`The time column "${cols.timeColumn}" cannot also be a model input`, 'timeColumn');
  }
}

/** The label column as 0/1, naming the first row that holds anything else. */
export function readLabels(table: DataTable, name: string): Uint8Array {
  const at = columnIndex(table, name, 'labelColumn');
  const out = new Uint8Array(table.rows.length);
  for (let i = 0; i < table.rows.length; i++) {
    const cell = table.rows[i][at].trim();
    if (cell === '1') out[i] = 1;
    else if (cell !== '0') {
      const shown = cell === '' ? 'is missing' : `is "${cell}"`;
      throw new InvalidInput(
        `Row ${table.rowNumbers[i]}, column "${name}": the label ${shown}; a label column holds 0 (normal) or 1 (anomaly) in every row`,
        'labelColumn',
      );
    }
  }
  return out;
}

export function validateTrainingTable(table: DataTable, cols: TrainingColumns): TrainingFrame {
  checkDistinct(cols);
  // Every named column must exist before any is read, so the first message is the plainest one.
  columnIndex(table, cols.target, 'target');
  for (const name of cols.exogenous ?? []) columnIndex(table, name, 'exogenous');
  if (cols.labelColumn !== undefined) columnIndex(table, cols.labelColumn, 'labelColumn');
  const series = seriesFromTable(table, { target: cols.target, timeColumn: cols.timeColumn });
  const exogenous = (cols.exogenous ?? []).map((name) => ({ name, values: readNumericColumn(table, name, 'exogenous') }));
  const labels = cols.labelColumn === undefined ? null : readLabels(table, cols.labelColumn);
  return { format: table.format, series, exogenous, labels };
}

/** Reads a dataset file (CSV or Parquet) and validates the columns a job names. */
export async function loadTrainingFrame(bytes: Uint8Array, filename: string, cols: TrainingColumns): Promise<TrainingFrame> {
  return validateTrainingTable(await readTable(bytes, filename), cols);
}

/** Below this many training windows an anomaly model has too little normal behaviour to learn from. */
export const MIN_ANOMALY_TRAIN_WINDOWS = 20;

export interface AnomalyPlan {
  rows: Split;
  /** Windows lying wholly inside each part (window k holds rows k..k+window-1). */
  windows: Split;
}

/**
 * The chronological split for windowed anomaly scoring, or an InvalidInput saying how many rows
 * the window and split need: at least MIN_ANOMALY_TRAIN_WINDOWS whole windows in the training
 * rows and one in the validation rows.
 */
export function planAnomalySplit(n: number, opts: { window: number; valFraction: number; testFraction: number }): AnomalyPlan {
  if (!(opts.valFraction > 0 && opts.testFraction > 0 && opts.valFraction + opts.testFraction < 1)) {
    throw new InvalidInput('valFraction and testFraction must be above 0 and leave rows to train on', 'params.valFraction');
  }
  const fits = (m: number) => {
    const test = Math.max(1, Math.round(m * opts.testFraction));
    const val = Math.max(1, Math.round(m * opts.valFraction));
    const train = m - val - test;
    return train - opts.window + 1 >= MIN_ANOMALY_TRAIN_WINDOWS && val >= opts.window;
  };
  if (!fits(n)) {
    let needed = n + 1;
    while (!fits(needed)) needed++;
    throw new InvalidInput(
      `The series has ${n} rows; a window of ${opts.window} and a ${pct(opts.valFraction)} validation / ` +
        `${pct(opts.testFraction)} test split need at least ${needed} rows ` +
        `(${MIN_ANOMALY_TRAIN_WINDOWS} training windows and one whole validation window)`,
    );
  }
  const rows = chronologicalSplit(n, opts);
  const inside = (r: { start: number; end: number }) => ({ start: r.start, end: Math.max(r.start, r.end - opts.window + 1) });
  return { rows, windows: { train: inside(rows.train), val: inside(rows.val), test: inside(rows.test) } };
}

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;

