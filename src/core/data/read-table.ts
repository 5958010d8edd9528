/** Reads a dataset file's bytes as a table: Parquet by its "PAR1" markers, CSV (UTF-8) otherwise. */
import { Buffer } from 'node:buffer';
import { InvalidInput } from '../../shared/errors';
import { checkTextFile, parseCsv } from './csv';
import { isParquet, parseParquet } from './parquet';
import type { DataTable, TableFormat } from './table';

export function csvTable(text: string): DataTable {
  // Parquet bytes decoded as text would otherwise fail somewhere in the CSV parser, far from the cause.
  if (text.startsWith('PAR1')) {
    throw new InvalidInput('This is a Parquet file, not CSV text; read its bytes with readTable or loadTrainingFrame');
  }
  return { format: 'csv', ...parseCsv(text), declaredTypes: null };
}

/** The format a file is read as: Parquet by its "PAR1" marker, CSV otherwise. */
export function tableFormat(bytes: Uint8Array, filename: string): TableFormat {
  if (isParquet(bytes)) return 'parquet';
  if (/\.parquet$/i.test(filename)) {
    throw new InvalidInput(`${filename} is named .parquet but is not a Parquet file (it lacks the PAR1 markers)`, 'source');
  }
  return 'csv';
}

export async function readTable(bytes: Uint8Array, filename: string): Promise<DataTable> {
  if (tableFormat(bytes, filename) === 'parquet') return parseParquet(bytes);
  checkTextFile(bytes, filename);
  return csvTable(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
}

