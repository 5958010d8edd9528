import { readFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { invalid } from '../../../test/helpers/expect-error';
import type { DataHandlingInput } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { csvTable, loadTrainingFrame, planAnomalySplit, readTable, validateTrainingTable, type TrainingColumns } from './index';

const sample = readFileSync(new URL('../../../resources/datasets/seattle-temperature-anomalies.csv', import.meta.url), 'utf8');
const employment = readFileSync(new URL('../../../resources/datasets/us-employment.csv', import.meta.url), 'utf8');

/** The anomaly sample with data row `row` (spreadsheet numbering: header = 1) replaced by `line`. */
function sampleWith(row: number, line: string): string {
  const lines = sample.split('\n');
  lines[row - 1] = line;
  return lines.join('\n');
}

const cols: TrainingColumns = { target: 'temperature', labelColumn: 'anomaly' };
const check = (text: string, c: TrainingColumns = cols, h: DataHandlingInput = {}) => invalid(() => validateTrainingTable(csvTable(text), c, h));

async function parquetFails(columnData: Parameters<typeof parquetWriteBuffer>[0]['columnData'], c: TrainingColumns, h: DataHandlingInput = {}) {
  const table = await readTable(new Uint8Array(parquetWriteBuffer({ columnData })), 'x.parquet');
  return invalid(() => validateTrainingTable(table, c, h));
}

describe('validation before training', () => {
  it('accepts the anomaly sample: target, labels and time in order', () => {
    const f = validateTrainingTable(csvTable(sample), cols);
    expect(f.series.values).toHaveLength(8759);
    expect(f.series.timeColumn).toBe('date');
    expect(f.labels!.reduce((a, b) => a + b, 0)).toBe(sample.split('\n').filter((l) => l.endsWith(',1')).length);
    const e = validateTrainingTable(csvTable(employment), { target: 'nonfarm', exogenous: ['construction', 'manufacturing'] });
    expect(e.exogenous.map((x) => [x.name, x.values.length])).toEqual([
      ['construction', 120],
      ['manufacturing', 120],
    ]);
  });

  it('a missing target, exogenous or label column: names it and lists the columns', () => {
    const t = check(sample, { target: 'temp' });
    expect(t.message).toBe('Column "temp" is not in the file; the columns are "date", "temperature", "anomaly"');
    expect(t.field).toBe('target');
    expect(check(sample, { target: 'temperature', exogenous: ['wind'] }).field).toBe('exogenous');
    const l = check(sample, { target: 'temperature', labelColumn: 'label' });
    expect(l.field).toBe('labelColumn');
    expect(l.message).toMatch(/^Column "label" is not in the file/);
  });

  it('text in a numeric column: row, column and value', () => {
    expect(check(sampleWith(5, '2010-01-01T04:00:00,warm,0')).message).toBe(
      'Row 5, column "temperature": value "warm" is text, not a number',
    );
    const text = employment.replace(/\n(2006-03-01,[^,]*),([^,]*),/, '\n$1,n/a,');
    const e = invalid(() => validateTrainingTable(csvTable(text), { target: 'nonfarm', exogenous: ['private'] }));
    expect(e.message).toMatch(/^Row 4, column "private": value "n\/a" is text, not a number$/);
    expect(e.field).toBe('exogenous');
  });

  it('missing values: counted, the first named, the threshold stated', () => {
    let text = sampleWith(4, '2010-01-01T03:00:00,,0');
    text = text.replace('2010-01-01T10:00:00,4.5,0', '2010-01-01T10:00:00,,0');
    expect(check(text).message).toBe(
      'Column "temperature" has 2 missing values (first at row 4); Trainyard trains only on complete columns unless told what to do ' +
        '(threshold: 0 missing values): fill or remove them, or choose missing drop, interpolate or ffill',
    );
  });

  it('infinities and NaN, written in a CSV or stored in a Parquet double', async () => {
    expect(check(sampleWith(3, '2010-01-01T02:00:00,Infinity,0')).message).toBe(
      'Row 3, column "temperature": value "Infinity" is not a finite number; remove or fix it',
    );
    expect(check(sampleWith(3, '2010-01-01T02:00:00,-1e400,0')).message).toMatch(/^Row 3, .*"-1e400" is not a finite number/);
    const data = [1, 2, 3, Infinity, 5];
    const inf = await parquetFails([{ name: 'v', data: Float64Array.from(data), type: 'DOUBLE' }], { target: 'v' });
    expect(inf.message).toBe('Row 4, column "v": value "Infinity" is not a finite number; remove or fix it');
    const nan = await parquetFails([{ name: 'v', data: Float64Array.from([1, NaN, 3]), type: 'DOUBLE' }], { target: 'v' });
    expect(nan.message).toMatch(/^Row 2, column "v": value "NaN" is not a finite number/);
  });

  it('timestamps out of order (time order refuse) or repeated, in a CSV or a Parquet timestamp column', async () => {
    const lines = sample.split('\n');
    [lines[10], lines[11]] = [lines[11], lines[10]];
    expect(check(lines.join('\n'), cols, { timeOrder: 'refuse' }).message).toMatch(
      /^Timestamps in column "date" are not in order: row 12 \(2010-01-01T10:00:00\) comes after row 11 \(2010-01-01T11:00:00\)/,
    );
    expect(check(sampleWith(12, '2010-01-01T10:00:00,5.0,0')).message).toMatch(
      /^Duplicate timestamp 2010-01-01T10:00:00 in column "date" at rows 11 and 12/,
    );
    const day = (d: number) => new Date(Date.UTC(2020, 0, d));
    const unsorted = await parquetFails(
      [
        { name: 'when', data: [day(1), day(3), day(2)], type: 'TIMESTAMP' },
        { name: 'v', data: Float64Array.from([1, 2, 3]), type: 'DOUBLE' },
      ],
      { target: 'v' },
      { timeOrder: 'refuse' },
    );
    expect(unsorted.message).toMatch(/^Timestamps in column "when" are not in order: row 3 \(2020-01-02T00:00:00.000Z\) comes after row 2/);
    const missing = await parquetFails(
      [
        { name: 'when', data: [day(1), null, day(3)], type: 'TIMESTAMP', nullable: true },
        { name: 'v', data: Float64Array.from([1, 2, 3]), type: 'DOUBLE' },
      ],
      { target: 'v' },
    );
    expect(missing.message).toBe('Row 2, column "when": the timestamp is missing');
  });

  it('a label column that is not 0/1 in every row', () => {
    expect(check(sampleWith(7, '2010-01-01T06:00:00,3.7,2')).message).toBe(
      'Row 7, column "anomaly": the label is "2"; a label column holds 0 (normal) or 1 (anomaly) in every row',
    );
    expect(check(sampleWith(7, '2010-01-01T06:00:00,3.7,')).message).toMatch(/^Row 7, column "anomaly": the label is missing;/);
  });

  it('one column in two roles', () => {
    expect(check(sample, { target: 'temperature', labelColumn: 'temperature' }).message).toBe(
      'Column "temperature" cannot be both the target and the label column',
    );
    const e = invalid(() => validateTrainingTable(csvTable(employment), { target: 'nonfarm', exogenous: ['nonfarm'] }));
    expect(e.field).toBe('exogenous');
    const l = invalid(() =>
      validateTrainingTable(csvTable(employment), { target: 'nonfarm', exogenous: ['private'], labelColumn: 'private' }),
    );
    expect(l.message).toMatch(/cannot also be an exogenous input: the model would see the answers/);
  });

  it('too few rows for the window and the split: says how many, and that number is exactly enough', () => {
    const opts = { window: 24, valFraction: 0.15, testFraction: 0.15 };
    const e = invalid(() => planAnomalySplit(60, opts));
    expect(e.message).toMatch(/^The series has 60 rows; a window of 24 and a 15% validation \/ 15% test split need at least (\d+) rows/);
    const needed = Number(/at least (\d+) rows/.exec(e.message)![1]);
    expect(() => planAnomalySplit(needed, opts)).not.toThrow();
    expect(() => planAnomalySplit(needed - 1, opts)).toThrow(InvalidInput);
    const plan = planAnomalySplit(needed, opts);
    expect(plan.windows.train.end - plan.windows.train.start).toBeGreaterThanOrEqual(20);
    expect(plan.windows.val.end).toBeGreaterThan(plan.windows.val.start);
  });

  it('reads and validates straight from the file bytes', async () => {
    const f = await loadTrainingFrame(Buffer.from(sample), 'sample.csv', cols);
    expect(f.format).toBe('csv');
    await expect(loadTrainingFrame(Buffer.from('not parquet'), 'x.parquet', cols)).rejects.toThrow(/not a Parquet file/);
  });
});
