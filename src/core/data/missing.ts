/**
 * Missing values in the columns a model reads (target, exogenous), after time order and duplicates
 * are resolved. The job chooses: refuse (the default: the threshold is zero), drop the rows, fill
 * linearly between the neighbours, or carry the last value forward. Every choice is counted.
 *
 * Gaps at the very start or end have a neighbour on one side only: `interpolate` and `ffill` give
 * them the nearest value there is (so a leading gap takes the first present value).
 */
import type { MissingPolicy } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { refuseMissing } from './series';

export interface NamedColumn {
  name: string;
  /** The InvalidInput field a problem in this column is reported under (`target`, `exogenous`). */
  field: string;
  values: Float64Array;
}

export interface MissingCount {
  name: string;
  missing: number;
  /** Spreadsheet row number of the first missing value; null when none is missing. */
  firstRow: number | null;
}

export interface MissingResolved {
  /** The columns with their gaps resolved, row-aligned with `keep`. */
  columns: NamedColumn[];
  /** The rows kept (indices into the input rows); every row unless `drop` removed some. */
  keep: number[];
  counts: MissingCount[];
}

function count(c: NamedColumn, rowNumbers: readonly number[]): MissingCount {
  let missing = 0;
  let firstRow: number | null = null;
  c.values.forEach((v, i) => {
    if (Number.isNaN(v) && missing++ === 0) firstRow = rowNumbers[i];
  });
  return { name: c.name, missing, firstRow };
}

/** Linear between the present neighbours, by time when there is a time column (uneven steps), else by row. */
function interpolate(values: Float64Array, at: (i: number) => number): Float64Array {
  const out = Float64Array.from(values);
  let prev = -1;
  for (let i = 0; i <= out.length; i++) {
    if (i < out.length && Number.isNaN(out[i])) continue;
    // out[prev+1 .. i-1] is a gap; prev and i are its present neighbours (-1 or length: none).
    for (let k = prev + 1; k < i; k++) {
      if (prev < 0) out[k] = out[i];
      else if (i >= out.length) out[k] = out[prev];
      else out[k] = out[prev] + ((out[i] - out[prev]) * (at(k) - at(prev))) / (at(i) - at(prev));
    }
    prev = i;
  }
  return out;
}

function fillForward(values: Float64Array): Float64Array {
  const out = Float64Array.from(values);
  const first = out.findIndex((v) => !Number.isNaN(v));
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) out[i] = i < first ? out[first] : out[i - 1];
  }
  return out;
}

export function resolveMissing(
  columns: NamedColumn[],
  timestamps: Float64Array | null,
  rowNumbers: readonly number[],
  policy: MissingPolicy,
): MissingResolved {
  const counts = columns.map((c) => count(c, rowNumbers));
  const all = rowNumbers.map((_, i) => i);
  if (counts.every((c) => c.missing === 0)) return { columns, keep: all, counts };
  if (policy === 'refuse') {
    for (const c of columns) refuseMissing(c.name, c.values, rowNumbers, c.field);
  }
  if (policy === 'drop') {
    const keep = all.filter((i) => columns.every((c) => !Number.isNaN(c.values[i])));
    if (keep.length === 0) throw new InvalidInput('Every row has a missing value in a column the model reads: missing drop would leave no rows', 'data.missing');
    return { columns: columns.map((c) => ({ ...c, values: Float64Array.from(keep, (i) => c.values[i]) })), keep, counts };
  }
  counts.forEach((c, k) => {
    if (c.missing === rowNumbers.length) throw new InvalidInput(`Column "${c.name}" has no values at all; there is nothing to fill it from`, columns[k].field);
  });
  const at = timestamps ? (i: number) => timestamps[i] : (i: number) => i;
  const fill = policy === 'interpolate' ? (v: Float64Array) => interpolate(v, at) : fillForward;
  return { columns: columns.map((c) => ({ ...c, values: fill(c.values) })), keep: all, counts };
}
