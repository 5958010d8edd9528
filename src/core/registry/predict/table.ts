/** The prediction table's shared parts: where a row sits in time, future timestamps, and CSV. */
import { medianStep, type Series } from '../../data';

/** Times as the run's predictions.csv and scores.csv write them. */
const iso = (t: number) => new Date(t).toISOString();

export type Cell = string | number | null;

/** Calendar frequencies step by whole months, so a forecast lands on the 1st (or the last) of its month. */
const MONTHS: Record<string, number> = { monthly: 1, quarterly: 3, yearly: 12 };

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The time `steps` rows after `last` at the model's frequency (monthly, quarterly and yearly by the calendar, else by the median step). */
export function stepTime(last: number, steps: number, frequency: string | null, stepMs: number): number {
  const months = frequency ? MONTHS[frequency] : undefined;
  if (!months) return last + steps * stepMs;
  const d = new Date(last);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months * steps;
  const endOfMonth = d.getUTCDate() === daysIn(y, d.getUTCMonth());
  const target = new Date(Date.UTC(y, m, 1));
  const day = endOfMonth ? daysIn(target.getUTCFullYear(), target.getUTCMonth()) : Math.min(d.getUTCDate(), daysIn(target.getUTCFullYear(), target.getUTCMonth()));
  return Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

/** How rows are named: by time where the series has a time column, else by spreadsheet row (header = 1). */
export const keyColumn = (series: Series): string => (series.timestamps ? 'time' : 'row');

/** Row `i` of the series, or the `i - n + 1`-th step past its end, as the key column writes it. */
export function rowKey(series: Series, i: number, future: { frequency: string | null; stepMs: number | null }): string | number {
  const n = series.values.length;
  const ts = series.timestamps;
  if (i < n) return ts ? iso(ts[i]) : series.rowNumbers[i];
  const past = i - (n - 1);
  if (!ts) return series.rowNumbers[n - 1] + past;
  const step = future.stepMs ?? medianStep(ts);
  if (step === null || !(step > 0)) throw new Error('the rows are too few to say how far apart forecast times lie');
  return iso(stepTime(ts[n - 1], past, future.frequency, step));
}

/** The table as CSV, numbers in full precision (the shortest text that reads back as the same double). */
export function toCsv(columns: string[], rows: Cell[][]): string {
  const cell = (c: Cell) => (c === null ? '' : typeof c === 'number' ? String(c) : /[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return [columns.join(','), ...rows.map((r) => r.map(cell).join(','))].join('\n') + '\n';
}
