/** What the core records about a CSV file when it is imported, and the first rows it shows. */
import type { ColumnStats, DatasetPreview } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { isMissing, parseNumber } from './cells';
import { columnCells, columnStats, inferColumnType } from './columns';
import { parseCsv } from './csv';

export interface CsvAnalysis {
  rows: number;
  columns: ColumnStats[];
  /** The first timestamp column: the one that orders the rows in time. */
  timeColumn: string | null;
}

export function analyzeCsv(text: string): CsvAnalysis {
  const table = parseCsv(text);
  const columns = table.columns.map((name, i) => columnStats(name, columnCells(table.rows, i)));
  const time = columns.find((c) => c.type === 'timestamp');
  return { rows: table.rows.length, columns, timeColumn: time ? time.name : null };
}

/** The first `limit` rows, numbers as numbers in number columns, empty cells as null. */
export function previewCsv(text: string, limit: number): DatasetPreview {
  if (!Number.isInteger(limit) || limit < 1) throw new InvalidInput('limit must be a positive integer', 'limit');
  const table = parseCsv(text);
  const types = table.columns.map((name, i) => inferColumnType(name, columnCells(table.rows, i)));
  const rows = table.rows.slice(0, limit).map((row) =>
    row.map((cell, i) => {
      if (isMissing(cell)) return null;
      return types[i] === 'number' ? parseNumber(cell) : cell.trim();
    }),
  );
  return { columns: table.columns, rows };
}
