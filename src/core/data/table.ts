/**
 * A dataset file as one shape whatever its format: column names, rows of text cells ('' = missing)
 * and, where the file declares them, the column types. CSV and Parquet both become this, so type
 * inference, statistics, preview, series loading and validation are written once.
 */
import type { ColumnType } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';

export type TableFormat = 'csv' | 'parquet';

export interface DataTable {
  format: TableFormat;
  columns: string[];
  /** Data rows, each as long as `columns`. */
  rows: string[][];
  /** The number messages give each row: as a spreadsheet shows it for CSV (header = 1), from 1 for Parquet. */
  rowNumbers: number[];
  /** Types the file declares (the Parquet schema); null where they are read from the cells (CSV). */
  declaredTypes: ColumnType[] | null;
}

/** Refuses blank and duplicate column names, naming them. */
export function checkColumnNames(columns: string[], where: string): void {
  columns.forEach((name, i) => {
    if (name === '') throw new InvalidInput(`Column ${i + 1} has no name ${where}`);
  });
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new InvalidInput(`Column name "${name}" appears twice ${where} (columns ${first + 1} and ${i + 1})`);
    }
    seen.set(name, i);
  });
}

export function checkRowCount(rows: number): void {
  if (rows < 2) {
    throw new InvalidInput(`The file has ${rows} data row${rows === 1 ? '' : 's'}; Trainyard needs at least 2`);
  }
}
