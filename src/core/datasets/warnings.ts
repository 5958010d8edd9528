/**
 * What training would later refuse, said the moment a file is imported: unreadable cells and
 * missing values per column, and too few rows for a job with the default settings. Derived from the
 * column statistics stored with the dataset, so every face shows the same words.
 */
import { TrainSpec, type ColumnStats, type DatasetWarning } from '../../shared/contract';
import { minRowsForWindows } from '../data';
import { resolveParams } from '../models';

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** Rows a job with the default family and params needs: window, horizon and the floored 15% / 15% split. */
export function defaultMinRows(): { rows: number; window: number; horizon: number; valFraction: number; testFraction: number } {
  const p = resolveParams(TrainSpec.shape.model.parse(undefined), {});
  const opts = { window: Number(p.window), horizon: Number(p.horizon ?? 1), valFraction: Number(p.valFraction), testFraction: Number(p.testFraction) };
  return { rows: minRowsForWindows(opts), ...opts };
}

function columnWarnings(c: ColumnStats): DatasetWarning[] {
  const out: DatasetWarning[] = [];
  const u = c.unreadable;
  if (u) {
    const what = u.as === 'timestamp' ? 'a date or time' : 'a finite number';
    out.push({
      kind: 'unreadable',
      column: c.name,
      message:
        `Column "${c.name}": row ${u.row} holds "${u.value}", not ${what}` +
        (u.count > 1 ? ` (${plural(u.count, 'such cell')} in all)` : '') +
        (u.as === 'timestamp' ? '; training orders rows by this column and would refuse it' : '; training on this column would refuse it'),
    });
  }
  if (c.missing > 0) {
    const first = c.firstMissingRow ? ` (first at row ${c.firstMissingRow})` : '';
    out.push({
      kind: 'missing',
      column: c.name,
      message:
        c.type === 'timestamp'
          ? `Column "${c.name}": ${plural(c.missing, 'missing timestamp')}${first}; training orders rows by this column and would refuse them`
          : `Column "${c.name}": ${plural(c.missing, 'missing value')}${first}; training on it needs missing drop, interpolate or ffill`,
    });
  }
  return out;
}

export function datasetWarnings(d: { rows: number; columns: ColumnStats[] }): DatasetWarning[] {
  const out = d.columns.flatMap(columnWarnings);
  const min = defaultMinRows();
  if (d.rows < min.rows) {
    out.push({
      kind: 'few_rows',
      column: null,
      message:
        `${plural(d.rows, 'row')}: a job with the default window of ${min.window}, horizon ${min.horizon} and ${min.valFraction * 100}% / ${min.testFraction * 100}% ` +
        `validation / test split needs at least ${min.rows}; use a smaller window or fewer held-out rows`,
    });
  }
  return out;
}

/** Why no job can train on the dataset with the defaults, or null when one can: shown beside it in every list. */
export function cannotTrainReason(d: { rows: number; columns: ColumnStats[] }): string | null {
  if (!d.columns.some((c) => c.type === 'number')) return 'no numeric column to forecast or score';
  const min = defaultMinRows();
  if (d.rows < min.rows) return `${plural(d.rows, 'row')}; training with the default window and split needs at least ${min.rows}`;
  return null;
}
