/** Column type inference and per-column statistics, shared by dataset analysis and series loading. */
import type { ColumnStats, ColumnType } from '../../shared/contract';
import { isMissing, isYearColumnName, parseNumber, parseTimestamp, parseYear } from './cells';

export type TimestampReader = (cell: string) => number | null;

/**
 * Share of a column's values that must read as timestamps for it to be a time column. Below 1 on
 * purpose: a date column with one typo is still the date column, and loading it then fails on
 * the typo's row, where treating it as text would silently fall back to row order.
 */
export const TIME_COLUMN_SHARE = 0.9;

function mostly(cells: readonly string[], ok: (c: string) => boolean): boolean {
  let good = 0;
  for (const c of cells) if (ok(c)) good++;
  return good >= 2 && good >= TIME_COLUMN_SHARE * cells.length;
}

/**
 * How a column's cells are read as timestamps, or null when it is not a time column:
 * ISO-like dates and date-times, or four-digit years under a name such as "year" or "date".
 */
export function timestampReader(name: string, cells: readonly string[]): TimestampReader | null {
  const present = cells.filter((c) => !isMissing(c));
  if (mostly(present, (c) => parseTimestamp(c) !== null)) return parseTimestamp;
  if (isYearColumnName(name) && mostly(present, (c) => parseYear(c) !== null)) return parseYear;
  return null;
}

/**
 * The column's type: the one the file declares when it declares one (a Parquet schema), else what
 * its cells read as (CSV).
 */
export function inferColumnType(name: string, cells: readonly string[], declared?: ColumnType | null): ColumnType {
  if (declared) return declared;
  if (timestampReader(name, cells)) return 'timestamp';
  const present = cells.filter((c) => !isMissing(c));
  if (present.length > 0 && present.every((c) => parseNumber(c) !== null)) return 'number';
  return 'string';
}

export function columnStats(name: string, cells: readonly string[], declared?: ColumnType | null): ColumnStats {
  const type = inferColumnType(name, cells, declared);
  let missing = 0;
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (const c of cells) {
    if (isMissing(c)) {
      missing++;
      continue;
    }
    if (type !== 'number') continue;
    // A declared number column may hold NaN or infinities (Parquet doubles); they have no place in the statistics.
    const v = parseNumber(c);
    if (v === null) continue;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
  }
  const has = type === 'number' && count > 0;
  return {
    name,
    type,
    missing,
    min: has ? min : null,
    max: has ? max : null,
    mean: has ? sum / count : null,
  };
}

export function columnCells(rows: readonly string[][], index: number): string[] {
  return rows.map((r) => r[index]);
}
