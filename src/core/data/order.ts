/**
 * Time order and repeated timestamps: the first two things a real file gets wrong (a row pasted in
 * late, a sensor resending a reading, the hour a daylight-saving change repeats). The job says what
 * to do (`timeOrder`, `duplicates`); nothing is dropped or merged without being counted.
 */
import type { DuplicatePolicy, TimeOrder } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import type { TimeColumn } from './series';

export interface OutOfOrderRow {
  /** Spreadsheet row number (header = 1) of the row whose timestamp is earlier than the row before it. */
  row: number;
  /** Its timestamp as the file writes it. */
  time: string;
  previousRow: number;
  previous: string;
}

export interface RepeatedTime {
  time: string;
  /** Spreadsheet row numbers of the rows that share the timestamp, in file order. */
  rows: number[];
}

export interface RowGroups {
  /**
   * The rows the series is made of, in its order: each entry lists the source rows (indices into the
   * table, in file order) that become one row of the series; more than one where a timestamp repeats.
   */
  groups: number[][];
  outOfOrder: OutOfOrderRow[];
  repeated: RepeatedTime[];
}

/** Rows whose timestamp is earlier than the one just above them in the file. */
function findOutOfOrder({ timestamps: ts, text }: TimeColumn, rowNumbers: readonly number[]): OutOfOrderRow[] {
  const out: OutOfOrderRow[] = [];
  for (let i = 1; i < ts.length; i++) {
    if (ts[i] < ts[i - 1]) out.push({ row: rowNumbers[i], time: text[i], previousRow: rowNumbers[i - 1], previous: text[i - 1] });
  }
  return out;
}

/** The row indices in series order: by time (stable, so rows sharing a time keep their file order) or as the file has them. */
function orderIndices(ts: Float64Array, policy: TimeOrder): number[] {
  const order = Array.from(ts, (_, i) => i);
  if (policy === 'sort') order.sort((a, b) => ts[a] - ts[b] || a - b);
  return order;
}

/** The first row (in file order) that repeats an earlier row's timestamp, as an InvalidInput naming both. */
function refuseRepeats(time: TimeColumn, rowNumbers: readonly number[]): void {
  const seen = new Map<number, number>();
  for (let i = 0; i < time.timestamps.length; i++) {
    const t = time.timestamps[i];
    const first = seen.get(t);
    if (first !== undefined) {
      throw new InvalidInput(
        `Duplicate timestamp ${time.text[i]} in column "${time.column}" at rows ${rowNumbers[first]} and ${rowNumbers[i]}; ` +
          'each time may appear once: remove the repeats, or choose duplicates first, last or mean',
        'data.duplicates',
      );
    }
    seen.set(t, i);
  }
}

/**
 * Orders the rows by the job's `timeOrder` and gathers rows that share a timestamp by its
 * `duplicates`. Without a time column the file's row order is the time order and nothing repeats.
 */
export function groupRows(time: TimeColumn | null, rowNumbers: readonly number[], timeOrder: TimeOrder, duplicates: DuplicatePolicy): RowGroups {
  if (!time) return { groups: rowNumbers.map((_, i) => [i]), outOfOrder: [], repeated: [] };
  const ts = time.timestamps;
  const outOfOrder = findOutOfOrder(time, rowNumbers);
  if (timeOrder === 'refuse' && outOfOrder.length > 0) {
    const o = outOfOrder[0];
    throw new InvalidInput(
      `Timestamps in column "${time.column}" are not in order: row ${o.row} (${o.time}) comes after row ${o.previousRow} (${o.previous}); ` +
        `sort the file by "${time.column}", or choose time order sort or file`,
      'data.timeOrder',
    );
  }
  if (duplicates === 'refuse') refuseRepeats(time, rowNumbers);

  // Rows sharing a time become one group, placed where the first of them falls in series order.
  const groups: number[][] = [];
  const groupOf = new Map<number, number[]>();
  for (const i of orderIndices(ts, timeOrder)) {
    const group = groupOf.get(ts[i]);
    if (group) group.push(i);
    else {
      const g = [i];
      groupOf.set(ts[i], g);
      groups.push(g);
    }
  }
  const repeated: RepeatedTime[] = [];
  for (const g of groups) {
    if (g.length > 1) {
      g.sort((a, b) => a - b); // file order, for "first" and "last"
      repeated.push({ time: time.text[g[0]], rows: g.map((i) => rowNumbers[i]) });
    }
  }
  return { groups, outOfOrder, repeated };
}

/**
 * One value per group: the first row's, the last row's, or the mean (or max) of the values present
 * (NaN when none is). `max` is for a 0/1 label, where a mean would invent a label of one half.
 */
export function mergeColumn(values: ArrayLike<number>, groups: readonly number[][], how: 'first' | 'last' | 'mean' | 'max'): Float64Array {
  const out = new Float64Array(groups.length);
  for (let k = 0; k < groups.length; k++) {
    const g = groups[k];
    if (how === 'first' || g.length === 1) out[k] = values[g[0]];
    else if (how === 'last') out[k] = values[g[g.length - 1]];
    else if (how === 'max') {
      const present = g.map((i) => values[i]).filter((v) => !Number.isNaN(v));
      out[k] = present.length > 0 ? Math.max(...present) : Number.NaN;
    }
    else {
      let sum = 0;
      let count = 0;
      for (const i of g) {
        if (!Number.isNaN(values[i])) {
          sum += values[i];
          count++;
        }
      }
      out[k] = count > 0 ? sum / count : Number.NaN;
    }
  }
  return out;
}
