/**
 * The check a dataset passes before any training starts, and the one place its rows become a
 * series: every column the job names exists and holds what it must; time order, repeated
 * timestamps and missing values are resolved as the job's DataHandling says (by default: sorted by
 * time, repeats and gaps refused); and there are rows enough for the window and the split. A
 * failure is an InvalidInput with the row, the column and the reason; nothing is coerced, dropped or
 * filled without being counted in the DataSummary.
 *
 * What each column must be:
 * - target and exogenous columns: finite numbers, no text; missing values as `missing` says;
 * - the label column (anomaly families): 0 or 1 in every row;
 * - the time column (the one named, else the first date/time column): every row a date or time.
 *   Without one, the file's row order is the time order.
 */
import { DataHandling, type DataHandlingInput } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { resolveMissing, type NamedColumn } from './missing';
import { groupRows, mergeColumn } from './order';
import { csvTable, readTable } from './read-table';
import { columnIndex, readNumberCells, readTimeColumn, type Series, type SeriesOptions } from './series';
import { chronologicalSplit, size, type Split } from './split';
import { buildSummary, type DataSummary } from './summary';
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
  /** What resolving order, duplicates and missing values did to the file's rows. */
  summary: DataSummary;
  /** Every out-of-order row (the summary lists the first few): `file` order warns about each. */
  outOfOrder: DataSummary['timeOrder']['examples'];
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
  return Uint8Array.from(readLabelCells(table, name, false));
}

/**
 * The label column as 0/1, NaN where a label is missing and `allowMissing` (missing drop: the row
 * goes, like one with a missing value); anything else names its row.
 */
function readLabelCells(table: DataTable, name: string, allowMissing: boolean): Float64Array {
  const at = columnIndex(table, name, 'labelColumn');
  const out = new Float64Array(table.rows.length);
  for (let i = 0; i < table.rows.length; i++) {
    const cell = table.rows[i][at].trim();
    if (cell === '1') out[i] = 1;
    else if (cell === '' && allowMissing) out[i] = Number.NaN;
    else if (cell !== '0') {
      const shown = cell === '' ? 'is missing' : `is "${cell}"`;
      const drop = cell === '' ? ' (or choose missing drop to leave out rows without one)' : '';
      throw new InvalidInput(
        `Row ${table.rowNumbers[i]}, column "${name}": the label ${shown}; a label column holds 0 (normal) or 1 (anomaly) in every row${drop}`,
        'labelColumn',
      );
    }
  }
  return out;
}

export function validateTrainingTable(table: DataTable, cols: TrainingColumns, handling: DataHandlingInput = {}): TrainingFrame {
  const h = DataHandling.parse(handling);
  checkDistinct(cols);
  // Every named column must exist before any is read, so the first message is the plainest one.
  columnIndex(table, cols.target, 'target');
  for (const name of cols.exogenous ?? []) columnIndex(table, name, 'exogenous');
  if (cols.labelColumn !== undefined) columnIndex(table, cols.labelColumn, 'labelColumn');
  const read: NamedColumn[] = [
    { name: cols.target, field: 'target', values: readNumberCells(table, cols.target, 'target') },
    ...(cols.exogenous ?? []).map((name) => ({ name, field: 'exogenous', values: readNumberCells(table, name, 'exogenous') })),
  ];
  // Labels are never filled in: a row without one is refused, or dropped under missing drop.
  const labelled = cols.labelColumn === undefined ? [] : [{ name: cols.labelColumn, field: 'labelColumn', values: readLabelCells(table, cols.labelColumn, h.missing === 'drop') }];
  const time = readTimeColumn(table, cols.timeColumn);

  const { groups, outOfOrder, repeated } = groupRows(time, table.rowNumbers, h.timeOrder, h.duplicates);
  const how = h.duplicates === 'refuse' ? 'first' : h.duplicates;
  const merged = read.map((c) => ({ ...c, values: mergeColumn(c.values, groups, how) }));
  const mergedLabels = labelled.map((c) => ({ ...c, values: mergeColumn(c.values, groups, how === 'mean' ? 'max' : how) }));
  const mergedRows = groups.map((g) => table.rowNumbers[g[0]]);
  const mergedTimes = time ? mergeColumn(time.timestamps, groups, 'first') : null;

  const { columns, keep, counts } = resolveMissing([...merged, ...mergedLabels], mergedTimes, mergedRows, h.missing);
  const [target, ...exogenous] = columns.slice(0, merged.length);
  const labels = columns.length > merged.length ? Uint8Array.from(columns[merged.length].values) : null;
  const series: Series = {
    target: cols.target,
    timeColumn: time?.column ?? null,
    values: target.values,
    timestamps: mergedTimes ? Float64Array.from(keep, (i) => mergedTimes[i]) : null,
    rowNumbers: keep.map((i) => mergedRows[i]),
  };
  return {
    format: table.format,
    series,
    exogenous: exogenous.map((c) => ({ name: c.name, values: c.values })),
    labels,
    summary: buildSummary(h, { rowsRead: table.rows.length, groups: groups.length, rows: keep.length, timeColumn: series.timeColumn, outOfOrder, repeated, missing: counts }),
    outOfOrder,
  };
}

/** Reads a dataset file (CSV or Parquet), validates the columns a job names and resolves its rows as `handling` says. */
export async function loadTrainingFrame(bytes: Uint8Array, filename: string, cols: TrainingColumns, handling: DataHandlingInput = {}): Promise<TrainingFrame> {
  return validateTrainingTable(await readTable(bytes, filename), cols, handling);
}

/** The target of a table as a series, resolved with the default data handling unless told otherwise. */
export function seriesFromTable(table: DataTable, opts: SeriesOptions, handling: DataHandlingInput = {}): Series {
  return validateTrainingTable(table, { target: opts.target, timeColumn: opts.timeColumn }, handling).series;
}

/** The target of a CSV text as a series, resolved with the default data handling unless told otherwise. */
export function loadSeries(text: string, opts: SeriesOptions, handling: DataHandlingInput = {}): Series {
  return seriesFromTable(csvTable(text), opts, handling);
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
export function planAnomalySplit(n: number, opts: { window: number; valFraction: number; testFraction: number }, split?: Split): AnomalyPlan {
  const trainWindows = (train: number) => train - opts.window + 1;
  if (split) {
    if (trainWindows(size(split.train)) < MIN_ANOMALY_TRAIN_WINDOWS) {
      throw new InvalidInput(
        `The training part is rows 0-${split.train.end - 1} (${size(split.train)} rows); a window of ${opts.window} needs at least ` +
          `${opts.window - 1 + MIN_ANOMALY_TRAIN_WINDOWS} training rows (${MIN_ANOMALY_TRAIN_WINDOWS} training windows): start validation later`,
        'data.split',
      );
    }
    if (size(split.val) < opts.window) {
      throw new InvalidInput(
        `The validation part is rows ${split.val.start}-${split.val.end - 1} (${size(split.val)} rows), shorter than one window of ${opts.window}`,
        'data.split',
      );
    }
  } else {
    if (!(opts.valFraction > 0 && opts.testFraction > 0 && opts.valFraction + opts.testFraction < 1)) {
      throw new InvalidInput('valFraction and testFraction must be above 0 and leave rows to train on', 'params.valFraction');
    }
    const fits = (m: number) => {
      const test = Math.max(1, Math.floor(m * opts.testFraction));
      const val = Math.max(1, Math.floor(m * opts.valFraction));
      return trainWindows(m - val - test) >= MIN_ANOMALY_TRAIN_WINDOWS && val >= opts.window;
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
  }
  const rows = split ?? chronologicalSplit(n, opts);
  const inside = (r: { start: number; end: number }) => ({ start: r.start, end: Math.max(r.start, r.end - opts.window + 1) });
  return { rows, windows: { train: inside(rows.train), val: inside(rows.val), test: inside(rows.test) } };
}

const pct = (f: number) => `${Math.round(f * 1000) / 10}%`;

