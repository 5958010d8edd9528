/**
 * The import analysis of a CSV file read as a stream: the same record as analyzeTable(csvTable(text))
 * (rows, column types and statistics, first missing and unreadable cells), from counters per column
 * instead of the whole table in memory. A 200 MB CSV held as rows of strings takes gigabytes; this
 * keeps one chunk and the counters.
 */
import { createReadStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
import type { ColumnStats, UnreadableCells } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { MOSTLY_NUMBERS, type TableAnalysis } from './analyze';
import { isMissing, isYearColumnName, parseNumber, parseTimestamp, parseYear } from './cells';
import { TIME_COLUMN_SHARE } from './columns';
import { checkHeader, isBlank, raggedRowMessage } from './csv';


interface First {
  row: number;
  value: string;
}

class ColumnCounter {
  present = 0;
  missing = 0;
  firstMissingRow: number | null = null;
  timestamps = 0;
  years = 0;
  numbers = 0;
  min = Infinity;
  max = -Infinity;
  sum = 0;
  notTimestamp: First | null = null;
  notYear: First | null = null;
  notNumber: First | null = null;

  constructor(readonly name: string) {}

  add(cell: string, row: number): void {
    if (isMissing(cell)) {
      this.missing++;
      this.firstMissingRow ??= row;
      return;
    }
    this.present++;
    if (parseTimestamp(cell) !== null) this.timestamps++;
    else this.notTimestamp ??= { row, value: cell.trim() };
    if (parseYear(cell) !== null) this.years++;
    else this.notYear ??= { row, value: cell.trim() };
    const v = parseNumber(cell);
    if (v === null) {
      this.notNumber ??= { row, value: cell.trim() };
      return;
    }
    this.numbers++;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    this.sum += v;
  }

  private mostly(good: number): boolean {
    return good >= 2 && good >= TIME_COLUMN_SHARE * this.present;
  }

  stats(): ColumnStats {
    const reader: 'timestamp' | 'year' | null = this.mostly(this.timestamps) ? 'timestamp' : isYearColumnName(this.name) && this.mostly(this.years) ? 'year' : null;
    const type = reader ? 'timestamp' : this.present > 0 && this.numbers === this.present ? 'number' : 'string';
    const has = type === 'number' && this.numbers > 0;
    let unreadable: UnreadableCells | null = null;
    const bad = (as: UnreadableCells['as'], good: number, first: First | null) =>
      good < this.present && first ? { as, count: this.present - good, row: first.row, value: first.value } : null;
    if (reader === 'timestamp') unreadable = bad('timestamp', this.timestamps, this.notTimestamp);
    else if (reader === 'year') unreadable = bad('timestamp', this.years, this.notYear);
    else if (type === 'number' || (this.present > 0 && this.numbers >= MOSTLY_NUMBERS * this.present)) unreadable = bad('number', this.numbers, this.notNumber);
    return {
      name: this.name,
      type,
      missing: this.missing,
      min: has ? this.min : null,
      max: has ? this.max : null,
      mean: has ? this.sum / this.numbers : null,
      firstMissingRow: this.firstMissingRow,
      unreadable,
    };
  }
}

/** Bytes in, UTF-8 text out (a byte-order mark dropped), each chunk also handed to `onBytes` (hash, copy) before it is parsed. */
function decoding(onBytes: (chunk: Buffer) => Promise<void>): Transform {
  const decoder = new StringDecoder('utf8');
  let first = true;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      onBytes(chunk).then(() => {
        let text = decoder.write(chunk);
        if (first && text.length > 0) {
          first = false;
          if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
        }
        done(null, text);
      }, done);
    },
    flush(done) {
      done(null, decoder.end());
    },
  });
}

/**
 * Streams `path` through the CSV checks of parseCsv and the statistics of analyzeTable. `head` is
 * the file's first bytes, for the delimiter guess (parseCsv guesses on the first 100 lines too).
 */
export function analyzeCsvStream(path: string, head: string, onBytes: (chunk: Buffer) => Promise<void>, chunkBytes = 4 * 2 ** 20): Promise<TableAnalysis> {
  const body = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head;
  const delimiter = Papa.parse<string[]>(body, { preview: 100, skipEmptyLines: 'greedy' }).meta.delimiter;
  const source = createReadStream(path, { highWaterMark: chunkBytes });
  const text: Readable = source.pipe(decoding(onBytes));
  return new Promise((resolve, reject) => {
    let record = 0;
    let columns: string[] | null = null;
    let counters: ColumnCounter[] = [];
    let rows = 0;
    let failed = false;
    const fail = (err: unknown, parser?: Papa.Parser) => {
      if (failed) return;
      failed = true;
      parser?.abort();
      source.destroy();
      reject(err);
    };
    source.on('error', (err) => fail(err));
    text.on('error', (err) => fail(err));
    Papa.parse<string[]>(text as unknown as File, {
      header: false,
      skipEmptyLines: false,
      delimiter,
      step: (result, parser) => {
        if (failed) return;
        record++;
        try {
          for (const e of result.errors) {
            if (e.type === 'Delimiter') continue;
            throw new InvalidInput(`Row ${record}: ${e.message}`);
          }
          const cells = result.data;
          if (isBlank(cells)) return;
          if (!columns) {
            columns = cells.map((c) => c.trim());
            checkHeader(columns, record);
            counters = columns.map((name) => new ColumnCounter(name));
            return;
          }
          if (cells.length !== columns.length) {
            throw new InvalidInput(raggedRowMessage(record, cells.length, columns.length));
          }
          rows++;
          for (let i = 0; i < cells.length; i++) counters[i].add(cells[i], record);
        } catch (err) {
          fail(err, parser);
        }
      },
      complete: () => {
        if (failed) return;
        if (!columns) return fail(new InvalidInput('The file is empty'));
        if (rows < 2) return fail(new InvalidInput(`The file has ${rows} data row${rows === 1 ? '' : 's'} below the header; Trainyard needs at least 2`));
        const stats = counters.map((c) => c.stats());
        const time = stats.find((c) => c.type === 'timestamp');
        resolve({ rows, columns: stats, timeColumn: time ? time.name : null });
      },
      error: (err: Error) => fail(err),
    });
  });
}
