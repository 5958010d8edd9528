/**
 * What the load did to the file's rows before any split: the data summary every run records (in
 * its log, its params and its model card), so a result can be traced to the rows it was made of.
 */
import type { DataHandling, ParamValue } from '../../shared/contract';
import type { MissingCount } from './missing';
import type { OutOfOrderRow, RepeatedTime } from './order';

/** How many out-of-order rows and repeated timestamps a summary lists by position; the counts are always whole. */
export const SUMMARY_EXAMPLES = 10;
/** Under `file` order, a warning per out-of-order row up to this many; a file reversed wholesale would otherwise flood the log. */
export const FILE_ORDER_WARNINGS = 100;

export interface DataSummary {
  /** Data rows in the file. */
  rowsRead: number;
  /** Rows of the series once order, duplicates and missing values are resolved. */
  rows: number;
  timeColumn: string | null;
  timeOrder: { policy: DataHandling['timeOrder']; outOfOrder: number; examples: OutOfOrderRow[] };
  duplicates: {
    policy: DataHandling['duplicates'];
    /** Timestamps that more than one row shares. */
    repeatedTimes: number;
    /** Rows folded into another row of the same time (rows read − rows after merging). */
    rowsMerged: number;
    examples: RepeatedTime[];
  };
  missing: { policy: DataHandling['missing']; rowsDropped: number; columns: MissingCount[] };
}

/** The summary from what each resolution found; the positions are kept for the first few only. */
export function buildSummary(
  h: DataHandling,
  found: { rowsRead: number; groups: number; rows: number; timeColumn: string | null; outOfOrder: OutOfOrderRow[]; repeated: RepeatedTime[]; missing: MissingCount[] },
): DataSummary {
  return {
    rowsRead: found.rowsRead,
    rows: found.rows,
    timeColumn: found.timeColumn,
    timeOrder: { policy: h.timeOrder, outOfOrder: found.outOfOrder.length, examples: found.outOfOrder.slice(0, SUMMARY_EXAMPLES) },
    duplicates: {
      policy: h.duplicates,
      repeatedTimes: found.repeated.length,
      rowsMerged: found.rowsRead - found.groups,
      examples: found.repeated.slice(0, SUMMARY_EXAMPLES),
    },
    missing: { policy: h.missing, rowsDropped: found.groups - found.rows, columns: found.missing },
  };
}

const MISSING_DONE: Record<DataHandling['missing'], string> = {
  refuse: 'refused',
  drop: 'rows dropped',
  interpolate: 'interpolated',
  ffill: 'filled forward',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * The summary as log lines: one line per resolution, and under `file` order one warning per
 * out-of-order row (the run keeps them in that order, so each is worth a look).
 */
export function summaryLines(s: DataSummary, outOfOrder: readonly OutOfOrderRow[]): { level: 'info' | 'warn'; message: string }[] {
  const lines: { level: 'info' | 'warn'; message: string }[] = [];
  const t = s.timeOrder;
  if (t.outOfOrder > 0 && t.policy === 'sort') {
    const first = t.examples[0];
    lines.push({
      level: 'warn',
      message: `Sorted the rows by "${s.timeColumn}": ${plural(t.outOfOrder, 'row was', 'rows were')} out of order in the file (first: row ${first.row}, ${first.time}, after row ${first.previousRow}, ${first.previous})`,
    });
  }
  if (t.outOfOrder > 0 && t.policy === 'file') {
    for (const o of outOfOrder.slice(0, FILE_ORDER_WARNINGS)) {
      lines.push({ level: 'warn', message: `Kept the file's row order: row ${o.row} (${o.time}) is earlier than row ${o.previousRow} (${o.previous}) above it` });
    }
    if (outOfOrder.length > FILE_ORDER_WARNINGS) {
      lines.push({ level: 'warn', message: `Kept the file's row order: ${outOfOrder.length - FILE_ORDER_WARNINGS} more rows are earlier than the row above them (${outOfOrder.length} in all)` });
    }
  }
  const d = s.duplicates;
  if (d.repeatedTimes > 0) {
    const how = d.policy === 'mean' ? 'the mean of each column (the label: the max)' : `the ${d.policy} row`;
    const first = d.examples[0];
    lines.push({
      level: 'warn',
      message: `Resolved ${plural(d.repeatedTimes, 'repeated timestamp')} (${plural(d.rowsMerged, 'row')} merged) by keeping ${how}; first: ${first.time} at rows ${first.rows.join(', ')}`,
    });
  }
  const m = s.missing;
  for (const c of m.columns) {
    if (c.missing > 0) {
      lines.push({ level: 'warn', message: `Column "${c.name}": ${plural(c.missing, 'missing value')} (first at row ${c.firstRow}), ${MISSING_DONE[m.policy]}` });
    }
  }
  if (m.rowsDropped > 0) lines.push({ level: 'warn', message: `Dropped ${plural(m.rowsDropped, 'row')} with a missing value` });
  lines.push({
    level: 'info',
    message: `Data: ${plural(s.rowsRead, 'row')} read, ${s.rows} after resolution (time order ${t.policy}, duplicates ${d.policy}, missing ${m.policy})`,
  });
  return lines;
}

/** The summary as run params (`data.*`): searchable, comparable across runs, shown on the run page. */
export function summaryParams(s: DataSummary): Record<string, ParamValue> {
  const missing = s.missing.columns.reduce((n, c) => n + c.missing, 0);
  return {
    'data.time_order': s.timeOrder.policy,
    'data.duplicates': s.duplicates.policy,
    'data.missing': s.missing.policy,
    'data.rows_read': s.rowsRead,
    'data.rows': s.rows,
    'data.out_of_order': s.timeOrder.outOfOrder,
    'data.repeated_times': s.duplicates.repeatedTimes,
    'data.rows_merged': s.duplicates.rowsMerged,
    'data.missing_values': missing,
    'data.rows_dropped': s.missing.rowsDropped,
    ...Object.fromEntries(s.missing.columns.filter((c) => c.missing > 0).map((c) => [`data.missing.${c.name}`, c.missing])),
  };
}
