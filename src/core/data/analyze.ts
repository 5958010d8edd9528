/** What the core records about a dataset file when it is imported, and the first rows it shows. */
import type { ColumnStats, ColumnType, DatasetPreview, UnreadableCells } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { isMissing, parseNumber } from './cells';
import { columnCells, columnStats, inferColumnType, timestampReader } from './columns';
import { csvTable } from './read-table';
import type { DataTable } from './table';

export interface CsvAnalysis {
  rows: number;
  columns: ColumnStats[];
  /** The first timestamp column: the one that orders the rows in time. */
  timeColumn: string | null;
}
/** The same record for any table, CSV or Parquet. */
export type TableAnalysis = CsvAnalysis;

/** Share of a text column's present cells that must read as numbers for the rest to count as unreadable numbers, not as text. */
export const MOSTLY_NUMBERS = 0.5;

/**
 * The cells training would refuse if the column were trained on or ordered the rows by: text or
 * non-finite values in a column of numbers (or a text column that is mostly numbers), values a time
 * column cannot read. A column of words ("sun", "rain") is simply text and has none.
 */
function unreadableCells(name: string, type: ColumnType, cells: readonly string[], rowNumbers: readonly number[]): UnreadableCells | null {
  let readable: ((c: string) => boolean) | null = null;
  let as: UnreadableCells['as'] = 'number';
  if (type === 'timestamp') {
    const reader = timestampReader(name, cells);
    if (reader) {
      readable = (c) => reader(c) !== null;
      as = 'timestamp';
    }
  } else {
    const present = cells.filter((c) => !isMissing(c));
    const numbers = present.filter((c) => parseNumber(c) !== null).length;
    if (type === 'number' || (present.length > 0 && numbers >= MOSTLY_NUMBERS * present.length)) readable = (c) => parseNumber(c) !== null;
  }
  if (!readable) return null;
  let count = 0;
  let first = -1;
  cells.forEach((c, i) => {
    if (!isMissing(c) && !readable(c) && count++ === 0) first = i;
  });
  return count === 0 ? null : { as, count, row: rowNumbers[first], value: cells[first].trim() };
}

function firstMissing(cells: readonly string[], rowNumbers: readonly number[]): number | null {
  const at = cells.findIndex(isMissing);
  return at < 0 ? null : rowNumbers[at];
}

export function analyzeTable(table: DataTable): TableAnalysis {
  const columns = table.columns.map((name, i): ColumnStats => {
    const cells = columnCells(table.rows, i);
    const stats = columnStats(name, cells, table.declaredTypes?.[i]);
    return { ...stats, firstMissingRow: firstMissing(cells, table.rowNumbers), unreadable: unreadableCells(name, stats.type, cells, table.rowNumbers) };
  });
  const time = columns.find((c) => c.type === 'timestamp');
  return { rows: table.rows.length, columns, timeColumn: time ? time.name : null };
}

export function analyzeCsv(text: string): CsvAnalysis {
  return analyzeTable(csvTable(text));
}

/** The first `limit` rows, numbers as numbers in number columns, empty cells as null. */
export function previewTable(table: DataTable, limit: number): DatasetPreview {
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidInput('limit must be a positive integer', 'limit');
  const types = table.columns.map((name, i) => inferColumnType(name, columnCells(table.rows, i), table.declaredTypes?.[i]));
  const rows = table.rows.slice(0, limit).map((row) =>
    row.map((cell, i) => {
      if (isMissing(cell)) return null;
      // A Parquet double may be NaN or infinite: shown as written rather than hidden as a blank.
      return types[i] === 'number' ? (parseNumber(cell) ?? cell.trim()) : cell.trim();
    }),
  );
  return { columns: table.columns, rows };
}

export function previewCsv(text: string, limit: number): DatasetPreview {
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidInput('limit must be a positive integer', 'limit');
  return previewTable(csvTable(text), limit);
}
