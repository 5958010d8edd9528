/**
 * The data summary and split boundaries a training run records as params (`data.*`, `split.*`,
 * written by core/data's summaryParams and boundsParams), read back into one shape for the faces
 * that show them: `runs show` and the run page.
 */
import type { ParamValue } from './contract';

export const SPLIT_PART_NAMES = { train: 'train', val: 'validation', test: 'test' } as const;
export type SplitPart = keyof typeof SPLIT_PART_NAMES;

export interface RunSplitPart {
  part: SplitPart;
  /** 0-based data rows after resolution, both inclusive. */
  firstRow: number;
  lastRow: number;
  from: string | null;
  to: string | null;
}

export interface RunDataSummary {
  /** How the split was chosen: fractions, rows or dates. */
  method: string;
  parts: RunSplitPart[];
  timeOrder: string | null;
  duplicates: string | null;
  missing: string | null;
  rowsRead: number | null;
  rows: number | null;
  outOfOrder: number | null;
  repeatedTimes: number | null;
  rowsMerged: number | null;
  rowsDropped: number | null;
  /** Missing values per column, where there were any. */
  missingByColumn: { column: string; missing: number }[];
}

const numberOf = (v: ParamValue | undefined) => (typeof v === 'number' ? v : null);
const textOf = (v: ParamValue | undefined) => (typeof v === 'string' ? v : null);

/** Whether a param key belongs to the data summary rather than to the model. */
export const isDataParam = (key: string): boolean => key.startsWith('data.') || key.startsWith('split.');

/** The run's data summary, or null for a run that recorded none (one from before, or one that failed while loading). */
export function runDataSummary(params: Record<string, ParamValue>): RunDataSummary | null {
  const method = textOf(params['split.method']);
  if (method === null) return null;
  const parts: RunSplitPart[] = [];
  for (const part of Object.keys(SPLIT_PART_NAMES) as SplitPart[]) {
    const firstRow = numberOf(params[`split.${part}.first_row`]);
    const lastRow = numberOf(params[`split.${part}.last_row`]);
    if (firstRow === null || lastRow === null) continue;
    parts.push({ part, firstRow, lastRow, from: textOf(params[`split.${part}.from`]), to: textOf(params[`split.${part}.to`]) });
  }
  const missingByColumn = Object.entries(params)
    .filter(([k, v]) => k.startsWith('data.missing.') && typeof v === 'number')
    .map(([k, v]) => ({ column: k.slice('data.missing.'.length), missing: v as number }));
  return {
    method,
    parts,
    timeOrder: textOf(params['data.time_order']),
    duplicates: textOf(params['data.duplicates']),
    missing: textOf(params['data.missing']),
    rowsRead: numberOf(params['data.rows_read']),
    rows: numberOf(params['data.rows']),
    outOfOrder: numberOf(params['data.out_of_order']),
    repeatedTimes: numberOf(params['data.repeated_times']),
    rowsMerged: numberOf(params['data.rows_merged']),
    rowsDropped: numberOf(params['data.rows_dropped']),
    missingByColumn,
  };
}

/** "sort (2 rows out of order)" style phrases for each resolution, shared by both faces. */
const count = (v: number | null, one: string, many = `${one}s`) => `${v ?? '?'} ${v === 1 ? one : many}`;

export function resolutionPhrases(d: RunDataSummary): { label: string; text: string }[] {
  const n = (v: number | null) => (v === null ? '?' : String(v));
  const out: { label: string; text: string }[] = [];
  if (d.rowsRead !== null) out.push({ label: 'Rows', text: `${n(d.rowsRead)} read, ${n(d.rows)} after resolution` });
  if (d.timeOrder) out.push({ label: 'Time order', text: `${d.timeOrder}${d.outOfOrder ? ` (${count(d.outOfOrder, 'row')} out of order)` : ''}` });
  if (d.duplicates) {
    const merged = d.repeatedTimes ? ` (${count(d.repeatedTimes, 'repeated timestamp')}, ${count(d.rowsMerged, 'row')} merged)` : '';
    out.push({ label: 'Duplicates', text: `${d.duplicates}${merged}` });
  }
  if (d.missing) {
    const cols = d.missingByColumn.map((c) => `${c.column}: ${c.missing}`).join(', ');
    out.push({ label: 'Missing', text: `${d.missing}${cols ? ` (${cols}${d.rowsDropped ? `; ${count(d.rowsDropped, 'row')} dropped` : ''})` : ''}` });
  }
  return out;
}
