/** What the core records about a dataset file when it is imported, and the first rows it shows. */
import type { ColumnStats, DatasetPreview } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { isMissing, parseNumber } from './cells';
import { columnCells, columnStats, inferColumnType } from './columns';
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

export function analyzeTable(table: DataTable): TableAnalysis {
  const columns = table.columns.map((name, i) => columnStats(name, columnCells(table.rows, i), table.declaredTypes?.[i]));
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
