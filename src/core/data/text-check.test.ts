/**
 * A binary file offered as a CSV is refused as "not a text CSV" before the parser reads it, and a
 * ragged row's message counts columns in words ("1 column").
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { invalid } from '../../../test/helpers/expect-error';
import { checkTextFile } from './csv';
import { readTable } from './read-table';

const CSV = readFileSync(new URL('../../../resources/datasets/co2-concentration.csv', import.meta.url));

describe('text or binary', () => {
  it('refuses a gzipped CSV, naming the file', async () => {
    await expect(readTable(gzipSync(CSV), 'co2.csv.gz')).rejects.toMatchObject({
      code: 'InvalidInput',
      message: expect.stringMatching(/^co2\.csv\.gz is not a text CSV file: /),
    });
  });

  it('says to save an Excel workbook as CSV', () => {
    const workbook = Buffer.concat([Buffer.from('PK\u0003\u0004'), gzipSync(CSV)]);
    expect(invalid(() => checkTextFile(workbook, 'sales.xlsx')).message).toMatch(/sales\.xlsx is not a text CSV file: .*Save the sheet as CSV/);
  });

  it('lets UTF-8 text through, accents and tabs included', async () => {
    expect(() => checkTextFile(Buffer.from('ville\tdegrés\nMontréal\t-3.5\nQuébec\t-7\n'), 'villes.tsv')).not.toThrow();
    expect((await readTable(CSV, 'co2.csv')).columns.length).toBeGreaterThan(1);
  });

  it('writes "1 column" for a one-column header', async () => {
    await expect(readTable(Buffer.from('value\n1\n2,3\n4\n'), 'one.csv')).rejects.toMatchObject({
      message: 'Row 3 has 2 values but the header has 1 column',
    });
  });
});
