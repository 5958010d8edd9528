/**
 * Real data as it comes: time order, repeated timestamps, missing values and exact splits, on the
 * bundled Seattle hourly normals (8,759 rows from 2010-01-01T01:00) and the anomaly sample made
 * from them. Each test makes its edit to the real file in the open, by spreadsheet row (header = 1).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { invalid } from '../../../test/helpers/expect-error';
import type { DataHandlingInput } from '../../shared/contract';
import {
  chronologicalSplit,
  csvTable,
  explicitSplit,
  minRowsForWindows,
  planAnomalySplit,
  planWindowSplit,
  splitBounds,
  summaryLines,
  summaryParams,
  validateTrainingTable,
  type TrainingColumns,
} from './index';

const read = (file: string) => readFileSync(new URL(`../../../resources/datasets/${file}`, import.meta.url), 'utf8');
const seattle = read('seattle-weather-hourly-normals.csv');
const anomalies = read('seattle-temperature-anomalies.csv');
const lines = (text: string) => text.trimEnd().split('\n');
const join = (ls: string[]) => ls.join('\n') + '\n';
/** The value of column `col` in spreadsheet row `row` of the untouched file. */
const cell = (text: string, row: number, col: number) => lines(text)[row - 1].split(',')[col];

const temperature: TrainingColumns = { target: 'temperature', exogenous: ['pressure'] };
const frame = (text: string, h: DataHandlingInput = {}, c: TrainingColumns = temperature) => validateTrainingTable(csvTable(text), c, h);

/** Seattle with spreadsheet rows 101 and 102 swapped: 2010-01-05T05:00 now comes before 04:00. */
function swapped(): string {
  const ls = lines(seattle);
  [ls[100], ls[101]] = [ls[101], ls[100]];
  return join(ls);
}

describe('time order', () => {
  it('a backward timestamp: refused with the row and both timestamps under refuse, sorted by default, kept in file order with a warning under file', () => {
    const text = swapped();
    const e = invalid(() => frame(text, { timeOrder: 'refuse' }));
    expect(e.message).toMatch(/^Timestamps in column "date" are not in order: row 102 \(2010-01-05T04:00:00\) comes after row 101 \(2010-01-05T05:00:00\)/);
    expect(e.field).toBe('data.timeOrder');

    const sorted = frame(text);
    expect(sorted.series.values).toEqual(frame(seattle).series.values);
    expect(sorted.series.rowNumbers.slice(98, 101)).toEqual([100, 102, 101]); // each value keeps its file row
    expect(sorted.summary.timeOrder).toMatchObject({ policy: 'sort', outOfOrder: 1 });
    expect(summaryLines(sorted.summary, sorted.outOfOrder)[0]).toEqual({
      level: 'warn',
      message: 'Sorted the rows by "date": 1 row was out of order in the file (first: row 102, 2010-01-05T04:00:00, after row 101, 2010-01-05T05:00:00)',
    });

    const kept = frame(text, { timeOrder: 'file' });
    expect(kept.series.values[99]).toBe(Number(cell(seattle, 102, 2)));
    expect(kept.series.values[100]).toBe(Number(cell(seattle, 101, 2)));
    const warnings = summaryLines(kept.summary, kept.outOfOrder).filter((l) => l.level === 'warn');
    expect(warnings).toEqual([{ level: 'warn', message: "Kept the file's row order: row 102 (2010-01-05T04:00:00) is earlier than row 101 (2010-01-05T05:00:00) above it" }]);
  });

  it('under file order, one warning for every row that steps back in time', () => {
    const ls = lines(seattle);
    // Rows 201-203 moved to the end of the file: only the first of them steps back in time (the rest follow it in order).
    const moved = [...ls.slice(0, 200), ...ls.slice(203), ...ls.slice(200, 203)];
    const kept = frame(join(moved), { timeOrder: 'file' });
    expect(kept.summary.timeOrder.outOfOrder).toBe(1);
    // And two swaps far apart give two warnings.
    [ls[10], ls[11]] = [ls[11], ls[10]];
    [ls[5000], ls[5001]] = [ls[5001], ls[5000]];
    const two = frame(join(ls), { timeOrder: 'file' });
    expect(two.outOfOrder.map((o) => o.row)).toEqual([12, 5002]);
    expect(summaryLines(two.summary, two.outOfOrder).filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('under file order, a file written newest first: every row counted, the log capped with the rest said in one line', () => {
    const [header, ...rows] = lines(seattle);
    const reversed = frame(join([header, ...rows.reverse()]), { timeOrder: 'file' });
    expect(reversed.summary.timeOrder.outOfOrder).toBe(8758);
    expect(reversed.summary.timeOrder.examples).toHaveLength(10);
    const warnings = summaryLines(reversed.summary, reversed.outOfOrder).filter((l) => l.level === 'warn');
    expect(warnings).toHaveLength(101);
    expect(warnings[100].message).toBe("Kept the file's row order: 8658 more rows are earlier than the row above them (8758 in all)");
  });
});

describe('repeated timestamps', () => {
  /** Seattle with a resent reading: row 52 (2010-01-03T03:00, data row 50) sent again with other values, as a new row 53. */
  function resent(): string {
    const ls = lines(seattle);
    ls.splice(52, 0, '2010-01-03T03:00:00,1000.0,10.0,1.0');
    return join(ls);
  }

  it('refused by default, naming the timestamp and both rows', () => {
    const e = invalid(() => frame(resent()));
    expect(e.message).toBe(
      'Duplicate timestamp 2010-01-03T03:00:00 in column "date" at rows 52 and 53; each time may appear once: remove the repeats, or choose duplicates first, last or mean',
    );
    expect(e.field).toBe('data.duplicates');
  });

  it('first, last and mean keep one row with the expected values; the rest of the series is untouched', () => {
    const t0 = Number(cell(seattle, 52, 2));
    const p0 = Number(cell(seattle, 52, 1));
    const first = frame(resent(), { duplicates: 'first' });
    const last = frame(resent(), { duplicates: 'last' });
    const mean = frame(resent(), { duplicates: 'mean' });
    for (const f of [first, last, mean]) {
      expect(f.series.values).toHaveLength(8759);
      expect(f.summary.duplicates).toMatchObject({ repeatedTimes: 1, rowsMerged: 1, examples: [{ time: '2010-01-03T03:00:00', rows: [52, 53] }] });
      expect(f.series.values[51]).toBe(Number(cell(seattle, 53, 2)));
    }
    expect([first.series.values[50], first.exogenous[0].values[50]]).toEqual([t0, p0]);
    expect([last.series.values[50], last.exogenous[0].values[50]]).toEqual([10, 1000]);
    expect(mean.series.values[50]).toBeCloseTo((t0 + 10) / 2, 12);
    expect(mean.exogenous[0].values[50]).toBeCloseTo((p0 + 1000) / 2, 12);
  });

  it('a repeated hour in the anomaly sample: its 0/1 label takes the max under mean, never one half', () => {
    const ls = lines(anomalies);
    // Spreadsheet row 502 is data row 500, the first injected spike (label 1); a normal resend of the same hour follows it.
    expect(ls[501]).toMatch(/,1$/);
    ls.splice(502, 0, `${ls[501].split(',')[0]},5.0,0`);
    const f = frame(join(ls), { duplicates: 'mean' }, { target: 'temperature', labelColumn: 'anomaly' });
    expect(f.labels![500]).toBe(1);
    expect(f.labels!.reduce((a, b) => a + b, 0)).toBe(315);
    const firstKept = frame(join(ls), { duplicates: 'last' }, { target: 'temperature', labelColumn: 'anomaly' });
    expect(firstKept.labels![500]).toBe(0);
  });
});

describe('missing values', () => {
  /** Seattle with the temperature of rows 11-13 and the pressure of row 20 blanked. */
  function gappy(): string {
    const ls = lines(seattle);
    for (const row of [11, 12, 13]) {
      const c = ls[row - 1].split(',');
      c[2] = '';
      ls[row - 1] = c.join(',');
    }
    const c = ls[19].split(',');
    c[1] = '';
    ls[19] = c.join(',');
    return join(ls);
  }

  it('refuse (default) counts them and names the first row', () => {
    const e = invalid(() => frame(gappy()));
    expect(e.message).toMatch(/^Column "temperature" has 3 missing values \(first at row 11\)/);
    expect(e.field).toBe('target');
  });

  it('drop removes every row with a gap in a column the model reads, and says how many', () => {
    const f = frame(gappy(), { missing: 'drop' });
    expect(f.series.values).toHaveLength(8759 - 4);
    expect(f.summary.missing).toEqual({
      policy: 'drop',
      rowsDropped: 4,
      columns: [
        { name: 'temperature', missing: 3, firstRow: 11 },
        { name: 'pressure', missing: 1, firstRow: 20 },
      ],
    });
    expect(f.series.rowNumbers.slice(8, 11)).toEqual([10, 14, 15]);
    expect(summaryParams(f.summary)).toMatchObject({ 'data.rows_dropped': 4, 'data.missing.temperature': 3, 'data.missing.pressure': 1, 'data.rows': 8755 });
  });

  it('a missing label is never filled in: refused, or its row dropped under drop', () => {
    const ls = lines(anomalies);
    ls[501] = ls[501].replace(/,1$/, ','); // spreadsheet row 502: the spike at data row 500 loses its label
    const c = { target: 'temperature', labelColumn: 'anomaly' };
    for (const missing of ['refuse', 'interpolate', 'ffill'] as const) {
      expect(invalid(() => frame(join(ls), { missing }, c)).message).toMatch(/^Row 502, column "anomaly": the label is missing; .* \(or choose missing drop/);
    }
    const f = frame(join(ls), { missing: 'drop' }, c);
    expect(f.series.values).toHaveLength(8758);
    expect(f.labels!.reduce((a, b) => a + b, 0)).toBe(314);
    expect(f.summary.missing.columns).toEqual([
      { name: 'temperature', missing: 0, firstRow: null },
      { name: 'anomaly', missing: 1, firstRow: 502 },
    ]);
  });

  it('interpolate fills linearly between the neighbours; ffill carries the last value', () => {
    const before = Number(cell(seattle, 10, 2));
    const after = Number(cell(seattle, 14, 2));
    const i = frame(gappy(), { missing: 'interpolate' });
    expect(i.series.values).toHaveLength(8759);
    [1, 2, 3].forEach((k) => expect(i.series.values[8 + k]).toBeCloseTo(before + ((after - before) * k) / 4, 12));
    const p = i.exogenous[0].values;
    expect(p[18]).toBeCloseTo((Number(cell(seattle, 19, 1)) + Number(cell(seattle, 21, 1))) / 2, 12);
    const f = frame(gappy(), { missing: 'ffill' });
    expect(Array.from(f.series.values.subarray(9, 12))).toEqual([before, before, before]);
    expect(f.exogenous[0].values[18]).toBe(Number(cell(seattle, 19, 1)));
    for (const x of [i, f]) expect(x.summary.missing.columns.map((c) => c.missing)).toEqual([3, 1]);
    const lines_ = summaryLines(i.summary, i.outOfOrder).map((l) => l.message);
    expect(lines_).toContain('Column "temperature": 3 missing values (first at row 11), interpolated');
  });
});

describe('splits', () => {
  it('fractions are floored: 8,759 rows at 15% / 15% give 1,313 validation and 1,313 test rows', () => {
    const s = chronologicalSplit(8759, { valFraction: 0.15, testFraction: 0.15 });
    expect(s).toEqual({ train: { start: 0, end: 6133 }, val: { start: 6133, end: 7446 }, test: { start: 7446, end: 8759 } });
    const exact = chronologicalSplit(17420, { valFraction: 0.1, testFraction: 0.2 });
    expect([exact.val.end - exact.val.start, exact.test.end - exact.test.start]).toEqual([1742, 3484]);
  });

  it('the fewest rows import asks for: that count and every count above it split with enough training windows', () => {
    for (const opts of [
      { window: 12, horizon: 1, valFraction: 0.15, testFraction: 0.15 },
      { window: 48, horizon: 6, valFraction: 0.1, testFraction: 0.2 },
    ]) {
      const min = minRowsForWindows(opts);
      expect(() => planWindowSplit(min - 1, opts)).toThrow(/need at least/);
      for (let n = min; n < min + 300; n++) expect(() => planWindowSplit(n, opts)).not.toThrow();
    }
  });

  it('by rows: [valStart, testStart] are the first validation and first test rows, exact to the row', () => {
    const f = frame(seattle);
    const rows = explicitSplit(8759, f.series.timestamps, { rows: [6131, 7445] });
    const plan = planWindowSplit(8759, { window: 24, horizon: 1, valFraction: 0.15, testFraction: 0.15 }, rows);
    expect(plan.rows).toEqual({ train: { start: 0, end: 6131 }, val: { start: 6131, end: 7445 }, test: { start: 7445, end: 8759 } });
    // The first test window predicts row 7445 exactly.
    expect(plan.windows.test.start + 24 - 1 + 1).toBe(7445);
    const b = splitBounds(plan.rows, f.series.timestamps, 'rows');
    expect(b.train).toEqual({ firstRow: 0, lastRow: 6130, rows: 6131, from: '2010-01-01T01:00:00Z', to: cellIso(6130) });
    expect(b.val).toEqual({ firstRow: 6131, lastRow: 7444, rows: 1314, from: cellIso(6131), to: cellIso(7444) });
    expect(b.test).toEqual({ firstRow: 7445, lastRow: 8758, rows: 1314, from: cellIso(7445), to: '2010-12-31T23:00:00Z' });
    const anomaly = planAnomalySplit(8759, { window: 24, valFraction: 0.15, testFraction: 0.15 }, rows);
    expect(anomaly.rows.test.start).toBe(7445);
  });

  it('by rows: out of range and too few training rows are refused, naming the field', () => {
    const e = invalid(() => explicitSplit(8759, null, { rows: [6131, 8759] }));
    expect(e.message).toBe('data.split.rows: the first test row 8759 is past the last row: the series has 8759 rows after resolution (indices 0-8758)');
    expect(e.field).toBe('data.split.rows');
    const short = explicitSplit(8759, null, { rows: [20, 7445] });
    expect(invalid(() => planWindowSplit(8759, { window: 24, horizon: 1, valFraction: 0.15, testFraction: 0.15 }, short)).message).toMatch(
      /^The training part is rows 0-19 \(20 rows\); a window of 24 and a horizon of 1 need at least 34 training rows/,
    );
  });

  it('by date: each part starts at the first row at or after its date', () => {
    const f = frame(seattle);
    const rows = explicitSplit(8759, f.series.timestamps, { valFrom: '2010-11-01', testFrom: '2010-12-01T00:00:00Z' });
    const b = splitBounds(rows, f.series.timestamps, 'dates');
    expect(b.val.from).toBe('2010-11-01');
    expect(b.train.to).toBe('2010-10-31T23:00:00Z');
    expect(b.test.from).toBe('2010-12-01');
    expect(b.test.rows).toBe(31 * 24); // every hour of December
    expect(invalid(() => explicitSplit(8759, f.series.timestamps, { valFrom: '2010-12-01', testFrom: '2010-11-01' })).field).toBe('data.split.testFrom');
    expect(invalid(() => explicitSplit(8759, f.series.timestamps, { valFrom: '2011-02-01', testFrom: '2011-03-01' })).message).toBe(
      'data.split.valFrom: no row is at or after 2011-02-01; the series runs from 2010-01-01T01:00:00Z to 2010-12-31T23:00:00Z',
    );
    expect(invalid(() => explicitSplit(100, null, { valFrom: '2010-11-01', testFrom: '2010-12-01' })).message).toBe(
      'data.split: a split by date needs a time column, and this dataset has none',
    );
  });
});

/** The ISO timestamp of 0-based data row `i` of the untouched Seattle file (spreadsheet row i + 2). */
function cellIso(i: number): string {
  const t = cell(seattle, i + 2, 0);
  return t.endsWith('T00:00:00') ? t.slice(0, 10) : `${t}Z`;
}
