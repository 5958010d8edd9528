import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSeries } from './index';
import { invalid } from '../../../test/helpers/expect-error';

const dataset = (file: string) => readFileSync(new URL(`../../../resources/datasets/${file}`, import.meta.url), 'utf8');
const co2 = dataset('co2-concentration.csv');

/** The CO2 file with line `line` (1-based, header = 1) replaced. */
function co2With(line: number, content: string): string {
  const lines = co2.split('\n');
  lines[line - 1] = content;
  return lines.join('\n');
}


describe('loadSeries', () => {
  it('reads the CO2 target in time order with UTC timestamps', () => {
    const s = loadSeries(co2, { target: 'CO2' });
    expect(s.values).toHaveLength(741);
    expect(s.values[0]).toBeCloseTo(315.7);
    expect(s.timeColumn).toBe('Date');
    expect(new Date(s.timestamps![0]).toISOString()).toBe('1958-03-01T00:00:00.000Z');
    for (let i = 1; i < s.timestamps!.length; i++) expect(s.timestamps![i]).toBeGreaterThan(s.timestamps![i - 1]);
    expect(s.rowNumbers[0]).toBe(2);
  });

  it('reads hourly date-times without a zone as UTC, whatever the machine zone', () => {
    const s = loadSeries(dataset('seattle-weather-hourly-normals.csv'), { target: 'temperature' });
    expect(new Date(s.timestamps![0]).toISOString()).toBe('2010-01-01T01:00:00.000Z');
    expect(s.timestamps![1] - s.timestamps![0]).toBe(3_600_000);
  });

  it('uses row order when the file has no time column, and an explicit time column when given', () => {
    const s = loadSeries('a,b\n1,2\n3,4\n', { target: 'b' });
    expect(Array.from(s.values)).toEqual([2, 4]);
    expect(s.timestamps).toBeNull();
    const t = loadSeries(dataset('us-employment.csv'), { target: 'nonfarm', timeColumn: 'month' });
    expect(t.values).toHaveLength(120);
  });

  it('lists the available columns when the target is missing', () => {
    const e = invalid(() => loadSeries(co2, { target: 'co2' }));
    expect(e.message).toBe('Column "co2" is not in the file; the columns are "Date", "CO2", "adjusted CO2"');
    expect(e.field).toBe('target');
  });

  it('names the row and value of text in the numeric target', () => {
    const e = invalid(() => loadSeries(co2With(5, '1958-05-01,abc,314.71'), { target: 'CO2' }));
    expect(e.message).toBe('Row 5, column "CO2": value "abc" is text, not a number');
  });

  it('refuses NaN and Infinity with their row', () => {
    expect(invalid(() => loadSeries(co2With(7, '1958-08-01,NaN,1'), { target: 'CO2' })).message).toBe(
      'Row 7, column "CO2": value "NaN" is not a finite number; remove or fix it',
    );
    expect(invalid(() => loadSeries(co2With(9, '1958-10-01,-Infinity,1'), { target: 'CO2' })).message).toMatch(
      /^Row 9, column "CO2": value "-Infinity" is not a finite number/,
    );
    expect(invalid(() => loadSeries(co2With(9, '1958-10-01,1e999,1'), { target: 'CO2' })).message).toMatch(
      /^Row 9, .*"1e999" is not a finite number/,
    );
  });

  it('counts missing values and names the first', () => {
    let text = co2With(4, '1958-05-01,,1');
    text = text.split('\n').map((l, i) => (i === 19 || i === 29 ? l.replace(/,[^,]*,/, ',,') : l)).join('\n');
    expect(invalid(() => loadSeries(text, { target: 'CO2' })).message).toBe(
      'Column "CO2" has 3 missing values (first at row 4); Trainyard trains only on complete columns unless told what to do ' +
        '(threshold: 0 missing values): fill or remove them, or choose missing drop, interpolate or ffill',
    );
  });

  it('refuses timestamps out of order when told to, naming both rows', () => {
    const lines = co2.split('\n');
    [lines[5], lines[6]] = [lines[6], lines[5]];
    const e = invalid(() => loadSeries(lines.join('\n'), { target: 'CO2' }, { timeOrder: 'refuse' }));
    expect(e.message).toMatch(/^Timestamps in column "Date" are not in order: row 7 \(1958-08-01\) comes after row 6 \(1958-09-01\)/);
  });

  it('refuses duplicated timestamps, naming both rows', () => {
    const lines = co2.split('\n');
    lines[6] = lines[5].replace(/,.*/, '') + ',320.1,319';
    const e = invalid(() => loadSeries(lines.join('\n'), { target: 'CO2' }));
    expect(e.message).toMatch(/^Duplicate timestamp 1958-08-01 in column "Date" at rows 6 and 7/);
  });

  it('refuses a value in the time column that is not a date, rather than falling back to row order', () => {
    const text = co2With(3, 'April,317.46,315.16');
    const expected = 'Row 3, column "Date": "April" is not a date or time';
    expect(invalid(() => loadSeries(text, { target: 'CO2' })).message).toBe(expected);
    expect(invalid(() => loadSeries(text, { target: 'CO2', timeColumn: 'Date' })).message).toBe(expected);
    expect(invalid(() => loadSeries(co2With(3, '1958-02-30,317.46,315.16'), { target: 'CO2' })).message).toMatch(
      /^Row 3, .*"1958-02-30" is not a date or time/,
    );
  });

  it('refuses a time column named explicitly that is not in the file or holds no dates', () => {
    expect(invalid(() => loadSeries(co2, { target: 'CO2', timeColumn: 'when' })).message).toMatch(
      /^Time column "when" is not in the file/,
    );
    expect(invalid(() => loadSeries(co2, { target: 'CO2', timeColumn: 'adjusted CO2' })).message).toBe(
      'Column "adjusted CO2" does not hold dates or times',
    );
  });
});
