/**
 * Reads the columns of a CSV or Parquet table that a series is made of: numbers, timestamps, row
 * numbers. Every unreadable cell stops the load with the row, the column and the reason: a forecast
 * built on quietly coerced data would look fine and be wrong.
 *
 * Missing numbers are read as NaN and time order is left as the file has it: what to do about
 * either is the job's choice (DataHandling), made in one place, resolve.ts.
 */
import type { ColumnType } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { isMissing, isNonFiniteWord, parseNumber, parseTimestamp } from './cells';
import { columnCells, timestampReader, type TimestampReader } from './columns';
import type { DataTable } from './table';

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

/** The index of column `name`, or an InvalidInput listing the columns there are. */
export function columnIndex(table: DataTable, name: string, field: string): number {
  const at = table.columns.indexOf(name);
  if (at < 0) throw new InvalidInput(`Column "${name}" is not in the file; the columns are ${list(table.columns)}`, field);
  return at;
}

/**
 * Column `name` as numbers, NaN where a cell is missing, or an InvalidInput naming the row, the
 * column and the reason: text, NaN or an infinity, or (Parquet) a column the file declares as text or time.
 */
export function readNumberCells(table: DataTable, name: string, field: string): Float64Array {
  const at = columnIndex(table, name, field);
  const declared = table.declaredTypes?.[at];
  if (declared && declared !== 'number') {
    throw new InvalidInput(`Column "${name}" is stored as ${DECLARED[declared]} in the file, not as numbers`, field);
  }
  return readNumbers(name, columnCells(table.rows, at), table.rowNumbers, field);
}

/** Column `name` as finite numbers with none missing (threshold: 0), else an InvalidInput naming the first problem. */
export function readNumericColumn(table: DataTable, name: string, field: string): Float64Array {
  const values = readNumberCells(table, name, field);
  refuseMissing(name, values, table.rowNumbers, field);
  return values;
}

/** An InvalidInput counting the column's missing values and naming the first; nothing when there are none. */
export function refuseMissing(name: string, values: Float64Array, rowNumbers: readonly number[], field: string): void {
  let missing = 0;
  let firstMissingRow = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i]) && missing++ === 0) firstMissingRow = rowNumbers[i];
  }
  if (missing === 0) return;
  throw new InvalidInput(
    `Column "${name}" has ${missing} missing value${missing === 1 ? '' : 's'} (first at row ${firstMissingRow}); ` +
      `Trainyard trains only on complete columns unless told what to do (threshold: 0 missing values): ` +
      `fill or remove ${missing === 1 ? 'it' : 'them'}, or choose missing drop, interpolate or ffill`,
    field,
  );
}

const DECLARED: Record<ColumnType, string> = { number: 'numbers', string: 'text', timestamp: 'dates or times' };

function readNumbers(name: string, cells: string[], rowNumbers: number[], field: string): Float64Array {
  const out = new Float64Array(cells.length);
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (isMissing(cell)) {
      out[i] = Number.NaN;
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
        field,
      );
    }
    throw new InvalidInput(
      `Row ${row}, column "${name}": value "${cell.trim()}" is text, not a number`,
      field,
    );
  }
  return out;
}

/** "1e999" is written as a number but overflows to Infinity. */
function looksNumericButHuge(cell: string): boolean {
  const v = Number(cell.trim());
  return cell.trim() !== '' && !Number.isFinite(v) && !Number.isNaN(v);
}

/**
 * How column `at` is read as time, or null when it is not a time column. A file that declares its
 * types (Parquet) is taken at its word: only its date and timestamp columns hold time.
 */
function readerFor(table: DataTable, at: number): TimestampReader | null {
  const declared = table.declaredTypes?.[at];
  if (declared) return declared === 'timestamp' ? parseTimestamp : null;
  return timestampReader(table.columns[at], columnCells(table.rows, at));
}

export interface TimeColumn {
  column: string;
  /** UTC epoch milliseconds, in the file's row order. */
  timestamps: Float64Array;
  /** Each timestamp as the file writes it, for messages. */
  text: string[];
}

/** The time column's timestamps as the file orders them (order and repeats are resolve.ts's business), or null without one. */
export function readTimeColumn(table: DataTable, timeColumn?: string | null): TimeColumn | null {
  const { columns, rows, rowNumbers } = table;
  let column: string | null = null;
  let reader: TimestampReader | null = null;
  if (timeColumn) {
    const at = columns.indexOf(timeColumn);
    if (at < 0) {
      throw new InvalidInput(
        `Time column "${timeColumn}" is not in the file; the columns are ${list(columns)}`,
        'timeColumn',
      );
    }
    column = timeColumn;
    reader = readerFor(table, at);
    if (!reader) throw new InvalidInput(`Column "${column}" does not hold dates or times`, 'timeColumn');
  } else {
    for (let i = 0; i < columns.length && !reader; i++) {
      reader = readerFor(table, i);
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
  }
  return { column, timestamps, text: cells.map((c) => c.trim()) };
}
