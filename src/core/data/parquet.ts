/**
 * Reads a Parquet file (hyparquet, pure JavaScript, with the usual codecs from
 * hyparquet-compressors) into the same table of text cells a CSV becomes, plus the column types the
 * file's schema declares. Everything after this point (statistics, preview, series, validation)
 * is shared with CSV; the declared types win over what the cells look like, so a Parquet text
 * column of "12" stays text, as its author said.
 *
 * Row numbers in messages count the file's rows from 1 (Parquet has no header row).
 * A file hyparquet cannot read is an InvalidInput, never a crash in the caller.
 */
import { Buffer } from 'node:buffer';
import { parquetMetadata, parquetRead, parquetSchema, type FileMetaData, type SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import type { ColumnType } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { checkColumnNames, checkRowCount, type DataTable } from './table';

const MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

/** Parquet files start and end with "PAR1". */
export function isParquet(bytes: Uint8Array): boolean {
  if (bytes.length < 8) return false;
  return MAGIC.every((b, i) => bytes[i] === b && bytes[bytes.length - 4 + i] === b);
}

const TIMESTAMP_CONVERTED = new Set(['DATE', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS']);
const NUMBER_TYPES = new Set(['INT32', 'INT64', 'FLOAT', 'DOUBLE']);

/**
 * The Trainyard type of a top-level column from its schema element: dates and timestamps are
 * timestamps, numeric physical types (including decimals) and booleans (read as 1/0) are numbers,
 * everything else (strings, binary, nested groups) is text.
 */
export function parquetColumnType(e: SchemaElement, nested: boolean): ColumnType {
  if (nested) return 'string';
  const logical = e.logical_type?.type;
  if (logical === 'TIMESTAMP' || logical === 'DATE' || e.type === 'INT96') return 'timestamp';
  if (e.converted_type && TIMESTAMP_CONVERTED.has(e.converted_type)) return 'timestamp';
  if (logical === 'TIME' || e.converted_type === 'TIME_MILLIS' || e.converted_type === 'TIME_MICROS') return 'string';
  if (e.type === 'BOOLEAN') return 'number';
  if (e.type && NUMBER_TYPES.has(e.type)) return 'number';
  if (logical === 'DECIMAL' || logical === 'FLOAT16' || e.converted_type === 'DECIMAL') return 'number';
  return 'string';
}

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

/** A decoded value as the text cell the shared readers expect; null becomes the empty (missing) cell. */
export function parquetCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (typeof v === 'string') return v;
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? 'invalid date' : v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return json(v);
}

function metadataOf(buffer: ArrayBuffer): FileMetaData {
  try {
    return parquetMetadata(buffer);
  } catch (err) {
    throw new InvalidInput(`The file is not a readable Parquet file: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export async function parseParquet(bytes: Uint8Array): Promise<DataTable> {
  // hyparquet reads a whole ArrayBuffer. A Node Buffer is often a view into a larger shared pool
  // (and Buffer#slice does not copy), so copy exactly the file's bytes into a buffer of their own.
  const buffer = new Uint8Array(bytes).buffer;
  const metadata = metadataOf(buffer);
  const top = parquetSchema(metadata).children;
  const columns = top.map((c) => c.element.name.trim());
  if (columns.length === 0) throw new InvalidInput('The Parquet file has no columns');
  checkColumnNames(columns, 'in the Parquet schema');
  const declaredTypes = top.map((c) => parquetColumnType(c.element, c.children.length > 0));

  let decoded: unknown[][] = [];
  try {
    await parquetRead({
      file: buffer,
      metadata,
      compressors,
      rowFormat: 'array',
      onComplete: (rows) => {
        decoded = rows;
      },
    });
  } catch (err) {
    throw new InvalidInput(`The Parquet file is damaged and cannot be read: ${err instanceof Error ? err.message : String(err)}`);
  }
  const expected = Number(metadata.num_rows);
  if (decoded.length !== expected) {
    throw new InvalidInput(`The Parquet file says it has ${expected} rows but ${decoded.length} could be read; it is damaged`);
  }
  const rows = decoded.map((r) => columns.map((_, i) => parquetCell(r[i])));
  checkRowCount(rows.length);
  return { format: 'parquet', columns, rows, rowNumbers: rows.map((_, i) => i + 1), declaredTypes };
}
