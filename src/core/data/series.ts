/**
 * Reads one numeric column of a CSV as a time series, in time order. Every problem stops the
 * load with the row, the column and the reason: a forecast built on quietly coerced data would
 * look fine and be wrong.
 */
import { InvalidInput } from '../../shared/errors';
import { isMissing, isNonFiniteWord, parseNumber } from './cells';
import { columnCells, timestampReader, type TimestampReader } from './columns';
import { parseCsv } from './csv';

export interface SeriesOptions {
  /** The column to forecast. */
  target: string;
  /** The column that orders the rows; the first timestamp column when left out, row order when there is none. */
  timeColumn?: string | null;
}

export interface Series {
  target: string;
  timeColumn: string | null;
  /** Target values, oldest first. */
  values: Float64Array;
  /** UTC epoch milliseconds of each value, or null when the file has no time column. */
  timestamps: Float64Array | null;
  /** The spreadsheet row number (header = row 1) of each value, for messages about a value. */
  rowNumbers: number[];
}

const list = (names: string[]) => names.map((n) => `"${n}"`).join(', ');

export function loadSeries(text: string, opts: SeriesOptions): Series {
  const table = parseCsv(text);
  const targetAt = table.columns.indexOf(opts.target);
  if (targetAt < 0) {
    throw new InvalidInput(
      `Column "${opts.target}" is not in the file; the columns are ${list(table.columns)}`,
      'target',
    );
  }
  const values = readTarget(opts.target, columnCells(table.rows, targetAt), table.rowNumbers);
  const time = readTime(table.columns, table.rows, table.rowNumbers, opts);
  return {
    target: opts.target,
    timeColumn: time?.column ?? null,
    values,
    timestamps: time?.timestamps ?? null,
    rowNumbers: table.rowNumbers,
  };
}

function readTarget(name: string, cells: string[], rowNumbers: number[]): Float64Array {
  const out = new Float64Array(cells.length);
  let missing = 0;
  let firstMissingRow = 0;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (isMissing(cell)) {
      if (missing++ === 0) firstMissingRow = rowNumbers[i];
      continue;
    }
    const v = parseNumber(cell);
    if (v !== null) {
      out[i] = v;
      continue;
    }
    const row = rowNumbers[i];
    if (isNonFiniteWord(cell) || looksNumericButHuge(cell)) {
      throw new InvalidInput(
        `Row ${row}, column "${name}": value "${cell.trim()}" is not a finite number; remove or fix it`,
        'target',
      );
    }
    throw new InvalidInput(
      `Row ${row}, column "${name}": value "${cell.trim()}" is text, not a number`,
      'target',
    );
  }
  if (missing > 0) {
    throw new InvalidInput(
      `Column "${name}" has ${missing} missing value${missing === 1 ? '' : 's'} (first at row ${firstMissingRow}); fill or remove ${missing === 1 ? 'it' : 'them'} first`,
      'target',
    );
  }
  return out;
}

/** "1e999" is written as a number but overflows to Infinity. */
function looksNumericButHuge(cell: string): boolean {
  const v = Number(cell.trim());
  return cell.trim() !== '' && !Number.isFinite(v) && !Number.isNaN(v);
}

function readTime(
  columns: string[],
  rows: string[][],
  rowNumbers: number[],
  opts: SeriesOptions,
): { column: string; timestamps: Float64Array } | null {
  let column: string | null = null;
  let reader: TimestampReader | null = null;
  if (opts.timeColumn) {
    const at = columns.indexOf(opts.timeColumn);
    if (at < 0) {
      throw new InvalidInput(
        `Time column "${opts.timeColumn}" is not in the file; the columns are ${list(columns)}`,
        'timeColumn',
      );
    }
    column = opts.timeColumn;
    reader = timestampReader(column, columnCells(rows, at));
    if (!reader) throw new InvalidInput(`Column "${column}" does not hold dates or times`, 'timeColumn');
  } else {
    for (let i = 0; i < columns.length && !reader; i++) {
      reader = timestampReader(columns[i], columnCells(rows, i));
      if (reader) column = columns[i];
    }
  }
  if (!reader || column === null) return null;

  const at = columns.indexOf(column);
  const cells = columnCells(rows, at);
  const timestamps = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    if (isMissing(cells[i])) {
      throw new InvalidInput(`Row ${rowNumbers[i]}, column "${column}": the timestamp is missing`, 'timeColumn');
    }
    const t = reader(cells[i]);
    if (t === null) {
      throw new InvalidInput(
        `Row ${rowNumbers[i]}, column "${column}": "${cells[i].trim()}" is not a date or time`,
        'timeColumn',
      );
    }
    timestamps[i] = t;
    if (i === 0) continue;
    const prev = timestamps[i - 1];
    if (t === prev) {
      throw new InvalidInput(
        `Duplicate timestamp ${cells[i].trim()} in column "${column}" at rows ${rowNumbers[i - 1]} and ${rowNumbers[i]}; each time may appear once`,
        'timeColumn',
      );
    }
    if (t < prev) {
      throw new InvalidInput(
        `Timestamps in column "${column}" are not in order: row ${rowNumbers[i]} (${cells[i].trim()}) comes after row ${rowNumbers[i - 1]} (${cells[i - 1].trim()}); sort the file by "${column}"`,
        'timeColumn',
      );
    }
  }
  return { column, timestamps };
}
