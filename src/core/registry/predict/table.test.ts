import { describe, expect, it } from 'vitest';
import { stepTime, toCsv } from './table';

const at = (s: string) => Date.parse(s);
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

describe('forecast times and the CSV', () => {
  it('steps calendar frequencies by months, keeping the first or the last of the month', () => {
    expect([1, 2, 3].map((k) => iso(stepTime(at('2020-11-01'), k, 'monthly', 0)))).toEqual(['2020-12-01', '2021-01-01', '2021-02-01']);
    expect([1, 2, 3].map((k) => iso(stepTime(at('2020-01-31'), k, 'monthly', 0)))).toEqual(['2020-02-29', '2020-03-31', '2020-04-30']);
    expect(iso(stepTime(at('2019-12-31'), 1, 'quarterly', 0))).toBe('2020-03-31');
    expect(iso(stepTime(at('2019-01-15'), 2, 'yearly', 0))).toBe('2021-01-15');
  });

  it('steps other frequencies by the median step', () => {
    expect(stepTime(at('2020-01-01T23:00:00Z'), 2, 'hourly', 3_600_000)).toBe(at('2020-01-02T01:00:00Z'));
  });

  it('writes numbers at full precision, empty cells for nulls, quoted text where needed', () => {
    expect(toCsv(['a', 'b', 'c'], [[0.1 + 0.2, null, 'x,y']])).toBe('a,b,c\n0.30000000000000004,,"x,y"\n');
  });
});
