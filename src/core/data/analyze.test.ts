import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzeCsv, previewCsv } from './index';
import { invalid } from '../../../test/helpers/expect-error';

const dataset = (file: string) => readFileSync(new URL(`../../../resources/datasets/${file}`, import.meta.url), 'utf8');


describe('analyzeCsv', () => {
  it('describes the CO2 dataset: 741 rows, Date is the time column, numbers with stats', () => {
    const a = analyzeCsv(dataset('co2-concentration.csv'));
    expect(a.rows).toBe(741);
    expect(a.timeColumn).toBe('Date');
    expect(a.columns.map((c) => [c.name, c.type])).toEqual([
      ['Date', 'timestamp'],
      ['CO2', 'number'],
      ['adjusted CO2', 'number'],
    ]);
    const co2 = a.columns[1];
    expect(co2.missing).toBe(0);
    expect(co2.min).toBeCloseTo(313.2, 1);
    expect(co2.max).toBeGreaterThan(410);
    expect(co2.mean).toBeGreaterThan(co2.min!);
    expect(a.columns[0]).toMatchObject({ min: null, max: null, mean: null });
  });

  it('finds hourly date-times and monthly dates as time columns', () => {
    const seattle = analyzeCsv(dataset('seattle-weather-hourly-normals.csv'));
    expect(seattle.timeColumn).toBe('date');
    expect(seattle.columns.find((c) => c.name === 'temperature')?.type).toBe('number');
    const jobs = analyzeCsv(dataset('us-employment.csv'));
    expect(jobs.rows).toBe(120);
    expect(jobs.timeColumn).toBe('month');
    expect(jobs.columns).toHaveLength(24);
  });

  it('reads integer years under a time-like name as timestamps, but not under other names', () => {
    const a = analyzeCsv('year,count\n2001,3\n2002,\n2003,5\n');
    expect(a.timeColumn).toBe('year');
    expect(a.columns[1]).toMatchObject({ type: 'number', missing: 1, min: 3, max: 5, mean: 4 });
    expect(analyzeCsv('code,count\n2001,3\n2002,4\n').columns[0].type).toBe('number');
  });

  it('keeps text, "NA" and thousands separators as strings rather than coercing them', () => {
    const a = analyzeCsv('name,value,amount\na,1,"1,200"\nb,NA,"2,400"\n');
    expect(a.columns.map((c) => c.type)).toEqual(['string', 'string', 'string']);
    expect(a.timeColumn).toBeNull();
  });

  it('detects semicolon and tab delimiters', () => {
    expect(analyzeCsv('a;b\n1;2\n3;4\n').columns.map((c) => c.name)).toEqual(['a', 'b']);
    expect(analyzeCsv('a\tb\n1\t2\n\n3\t4\n').rows).toBe(2);
  });

  it('refuses an unterminated quote, naming the row', () => {
    expect(invalid(() => analyzeCsv('a,b\n"1,2\n3,4\n')).message).toMatch(/^Row 2: Quoted field unterminated/);
  });

  it('refuses an empty file', () => {
    expect(invalid(() => analyzeCsv('')).message).toMatch(/empty/);
    expect(invalid(() => analyzeCsv('\n  \n')).message).toMatch(/empty/);
  });

  it('refuses a file without a header row', () => {
    expect(invalid(() => analyzeCsv('1958-03-01,315.70\n1958-04-01,317.46\n1958-05-01,317.51\n')).message).toMatch(
      /header row/,
    );
    expect(invalid(() => analyzeCsv('Date,,x\n1,2,3\n4,5,6\n')).message).toMatch(/Column 2 has no name/);
  });

  it('refuses duplicate column names, naming them', () => {
    const e = invalid(() => analyzeCsv('Date,CO2,CO2\n1958-03-01,1,2\n1958-04-01,3,4\n'));
    expect(e.message).toMatch(/"CO2" appears twice.*columns 2 and 3/);
  });

  it('names the ragged row as a spreadsheet numbers it (header = row 1, blank lines counted)', () => {
    const text = 'Date,CO2\n1958-03-01,315.70\n\n1958-04-01,317.46,9\n1958-05-01,317.51\n';
    expect(invalid(() => analyzeCsv(text)).message).toBe('Row 4 has 3 values but the header has 2 columns');
    const lines = dataset('co2-concentration.csv').split('\n');
    lines[10] = lines[10].split(',').slice(0, 2).join(',');
    expect(invalid(() => analyzeCsv(lines.join('\n'))).message).toMatch(/^Row 11 has 2 values but the header has 3 columns/);
  });

  it('needs at least two data rows', () => {
    expect(invalid(() => analyzeCsv('Date,CO2\n1958-03-01,315.70\n')).message).toMatch(/1 data row.*at least 2/);
    expect(invalid(() => analyzeCsv('Date,CO2\n')).message).toMatch(/0 data rows/);
  });
});

describe('previewCsv', () => {
  it('returns the first rows with numbers typed and blanks as null', () => {
    const p = previewCsv(dataset('co2-concentration.csv'), 3);
    expect(p.columns).toEqual(['Date', 'CO2', 'adjusted CO2']);
    expect(p.rows).toEqual([
      ['1958-03-01', 315.7, 314.44],
      ['1958-04-01', 317.46, 315.16],
      ['1958-05-01', 317.51, 314.71],
    ]);
    expect(previewCsv('a,b\n1,\n2,x\n', 10).rows).toEqual([
      [1, null],
      [2, 'x'],
    ]);
  });
});
