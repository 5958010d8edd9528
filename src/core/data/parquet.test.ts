import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import { InvalidInput } from '../../shared/errors';
import { analyzeCsv, analyzeTable, csvTable, isParquet, loadSeries, previewCsv, previewTable, readTable, seriesFromTable } from './index';

const tmp = tempDirPerTest();

const co2Text = readFileSync(new URL('../../../resources/datasets/co2-concentration.csv', import.meta.url), 'utf8');

/** The CO2 sample written as Parquet: dates as a TIMESTAMP column, the two measurements as DOUBLE. */
function co2Parquet(codec: 'SNAPPY' | 'UNCOMPRESSED' = 'SNAPPY'): Uint8Array {
  const csv = csvTable(co2Text);
  const col = (i: number) => csv.rows.map((r) => r[i]);
  return new Uint8Array(
    parquetWriteBuffer({
      codec,
      columnData: [
        { name: 'Date', data: col(0).map((d) => new Date(`${d}T00:00:00Z`)), type: 'TIMESTAMP' },
        { name: 'CO2', data: Float64Array.from(col(1), Number), type: 'DOUBLE' },
        { name: 'adjusted CO2', data: Float64Array.from(col(2), Number), type: 'DOUBLE' },
      ],
    }),
  );
}

async function rejection(p: Promise<unknown>): Promise<InvalidInput> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InvalidInput);
  return err as InvalidInput;
}

describe('Parquet import', () => {
  it('round-trips the CO2 sample: a file written to disk reads back with the same rows, types and statistics as the CSV', async () => {
    const path = join(tmp(), 'co2.parquet');
    writeFileSync(path, co2Parquet());
    const bytes = readFileSync(path);
    expect(isParquet(bytes)).toBe(true);
    const table = await readTable(bytes, 'co2.parquet');
    expect(table.format).toBe('parquet');
    expect(table.declaredTypes).toEqual(['timestamp', 'number', 'number']);

    const fromParquet = analyzeTable(table);
    const fromCsv = analyzeCsv(co2Text);
    expect(fromParquet).toEqual(fromCsv);

    const s = seriesFromTable(table, { target: 'CO2' });
    const c = loadSeries(co2Text, { target: 'CO2' });
    expect(s.timeColumn).toBe('Date');
    expect(Array.from(s.values)).toEqual(Array.from(c.values));
    expect(Array.from(s.timestamps!)).toEqual(Array.from(c.timestamps!));

    // The preview shows the same numbers; dates come back as the ISO instant the file stores.
    const p = previewTable(table, 2);
    const q = previewCsv(co2Text, 2);
    expect(p.rows.map((r) => r.slice(1))).toEqual(q.rows.map((r) => r.slice(1)));
    expect(p.rows[0][0]).toBe('1958-03-01T00:00:00.000Z');
  });

  it('reads an uncompressed file too', async () => {
    const table = await readTable(co2Parquet('UNCOMPRESSED'), 'co2.parquet');
    expect(table.rows).toHaveLength(741);
  });

  it('takes column types from the schema, not from what the values look like', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'year', data: Int32Array.from([2001, 2002, 2003]), type: 'INT32' },
        { name: 'code', data: ['12', '13', '14'], type: 'STRING' },
        { name: 'flag', data: [true, false, true], type: 'BOOLEAN' },
        { name: 'count', data: [1n, 2n, null], type: 'INT64', nullable: true },
      ],
    });
    const table = await readTable(new Uint8Array(bytes), 'x.parquet');
    // A CSV would read "year" as time and "code" as numbers; the schema says otherwise.
    expect(analyzeTable(table).columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['year', 'number', 0],
      ['code', 'string', 0],
      ['flag', 'number', 0],
      ['count', 'number', 1],
    ]);
    expect(analyzeTable(table).timeColumn).toBeNull();
    expect(previewTable(table, 3).rows).toEqual([
      [2001, '12', 1, 1],
      [2002, '13', 0, 2],
      [2003, '14', 1, null],
    ]);
    // Text stays text: it is not a numeric target, however numeric it looks.
    expect(() => seriesFromTable(table, { target: 'code' })).toThrow('Column "code" is stored as text in the file, not as numbers');
  });

  it('refuses a corrupt or truncated file with an InvalidInput, never a crash', async () => {
    const good = co2Parquet();
    const truncated = good.slice(0, Math.floor(good.length / 2));
    expect((await rejection(readTable(truncated, 'co2.parquet'))).message).toMatch(/is named \.parquet but is not a Parquet file/);

    const damaged = good.slice();
    for (let i = 8; i < 600; i++) damaged[i] = 0x07;
    expect((await rejection(readTable(damaged, 'co2.parquet'))).message).toMatch(/^The Parquet file is damaged and cannot be read: /);

    const badFooter = good.slice();
    const footerLength = badFooter.length - 8;
    badFooter[footerLength] = 0xff;
    badFooter[footerLength + 1] = 0xff;
    expect((await rejection(readTable(badFooter, 'co2.parquet'))).message).toMatch(/^The file is not a readable Parquet file: /);
  });

  it('refuses a file with fewer than two rows, as for CSV', async () => {
    const one = parquetWriteBuffer({ columnData: [{ name: 'v', data: [1.5], type: 'DOUBLE' }] });
    expect((await rejection(readTable(new Uint8Array(one), 'one.parquet'))).message).toBe(
      'The file has 1 data row; Trainyard needs at least 2',
    );
  });

  it('reads CSV bytes whatever the name, and Parquet bytes whatever the name', async () => {
    expect((await readTable(Buffer.from('a,b\n1,2\n3,4\n'), 'data.txt')).format).toBe('csv');
    expect((await readTable(co2Parquet(), 'upload.bin')).format).toBe('parquet');
    // Parquet bytes handed to the CSV path as text are named for what they are.
    expect(() => loadSeries(Buffer.from(co2Parquet()).toString('utf8'), { target: 'CO2' })).toThrow(/^This is a Parquet file, not CSV text/);
  });
});
