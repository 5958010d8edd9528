/**
 * Reads a CSV file into a header and rows of text cells, refusing the shapes Trainyard cannot
 * use (empty file, no header, duplicate column names, ragged rows, fewer than two rows).
 *
 * Row numbers are counted as a spreadsheet shows them: the header is row 1, the first data row
 * is row 2. Blank lines are skipped (as papaparse's `skipEmptyLines` would) but still counted,
 * so a number in an error message points at the same line in any spreadsheet or editor.
 */
import Papa from 'papaparse';
import { InvalidInput } from '../../shared/errors';
import { looksLikeNumber, looksLikeTimestamp } from './cells';

export interface CsvTable {
  columns: string[];
  /** Data rows, each as long as `columns`, cells as written in the file (untrimmed). */
  rows: string[][];
  /** The spreadsheet row number (1-based, header included) of each data row. */
  rowNumbers: number[];
}

/** A record whose every cell is blank: a blank line, or a line of bare delimiters. */
export function isBlank(record: string[]): boolean {
  return record.every((c) => c.trim() === '');
}

/** How much of a file's start is looked at to tell text from binary. */
const TEXT_SNIFF_BYTES = 64 * 1024;
/** More than this share of control bytes (other than tab, newline, carriage return, form feed) is not text. */
const MAX_CONTROL_SHARE = 0.05;

/**
 * Refuses a file that is not text before the CSV parser reads it: an image, a zip, an Excel
 * workbook would otherwise be "parsed" into a confusing message about rows and columns. A NUL byte
 * or many control bytes in the first 64 KiB mark binary data (UTF-8 text has neither).
 */
export function checkTextFile(bytes: Uint8Array, filename: string): void {
  const n = Math.min(bytes.length, TEXT_SNIFF_BYTES);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0) throw notText(filename, 'it holds NUL bytes, as binary files do');
    if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12) control++;
  }
  if (n > 0 && control / n > MAX_CONTROL_SHARE) throw notText(filename, 'it holds binary data');
}

function notText(filename: string, why: string): InvalidInput {
  const excel = /\.xlsx?$/i.test(filename) ? ' Save the sheet as CSV (or Parquet) and import that.' : ' Export the data as CSV or Parquet and import that.';
  return new InvalidInput(`${filename} is not a text CSV file: ${why}.${excel}`);
}

/** "the header has 1 column", "the header has 3 columns". */
export function raggedRowMessage(row: number, values: number, columns: number): string {
  return `Row ${row} has ${values} value${values === 1 ? '' : 's'} but the header has ${columns} column${columns === 1 ? '' : 's'}`;
}

export function parseCsv(text: string): CsvTable {
  // A byte-order mark would otherwise become part of the first column's name.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') throw new InvalidInput('The file is empty');

  // header: false on purpose: papaparse's header mode renames duplicate names ("a_1"), which
  // would hide a mistake the user should hear about.
  // Blank lines are kept (to count rows as a spreadsheet does) but they confuse papaparse's
  // delimiter guess, so the delimiter is guessed first on the first lines without them.
  const delimiter = Papa.parse<string[]>(body, { preview: 100, skipEmptyLines: 'greedy' }).meta.delimiter;
  const parsed = Papa.parse<string[]>(body, { header: false, skipEmptyLines: false, delimiter });
  for (const e of parsed.errors) {
    // Single-column files have no delimiter to detect; papaparse falls back to a comma, which is right.
    if (e.type === 'Delimiter') continue;
    const where = e.row !== undefined && e.row !== null ? `Row ${e.row + 1}: ` : '';
    throw new InvalidInput(`${where}${e.message}`);
  }

  const records = parsed.data;
  const headerAt = records.findIndex((r) => !isBlank(r));
  if (headerAt < 0) throw new InvalidInput('The file is empty');
  const columns = records[headerAt].map((c) => c.trim());
  checkHeader(columns, headerAt + 1);

  const rows: string[][] = [];
  const rowNumbers: number[] = [];
  for (let i = headerAt + 1; i < records.length; i++) {
    const record = records[i];
    if (isBlank(record)) continue;
    if (record.length !== columns.length) {
      throw new InvalidInput(raggedRowMessage(i + 1, record.length, columns.length));
    }
    rows.push(record);
    rowNumbers.push(i + 1);
  }
  if (rows.length < 2) {
    throw new InvalidInput(
      `The file has ${rows.length} data row${rows.length === 1 ? '' : 's'} below the header; Trainyard needs at least 2`,
    );
  }
  return { columns, rows, rowNumbers };
}

export function checkHeader(columns: string[], row: number): void {
  columns.forEach((name, i) => {
    if (name === '') throw new InvalidInput(`Column ${i + 1} has no name in the header (row ${row})`);
  });
  // A first row made only of numbers or dates is data: the file has no header row.
  if (columns.every((c) => looksLikeNumber(c) || looksLikeTimestamp(c))) {
    throw new InvalidInput(
      `The first row (${columns.slice(0, 4).join(', ')}${columns.length > 4 ? ', ...' : ''}) holds values, not column names; add a header row`,
    );
  }
  const seen = new Map<string, number>();
  columns.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) {
      throw new InvalidInput(`Column name "${name}" appears twice in the header (columns ${first + 1} and ${i + 1})`);
    }
    seen.set(name, i);
  });
}
