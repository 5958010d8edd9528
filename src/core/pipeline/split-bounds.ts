/**
 * The split as every family reports it: the job's explicit rows or dates (else its fraction params)
 * turned into row ranges, logged with the exact first and last row and timestamp of each part, and
 * recorded with the data summary as the run's `data.*` and `split.*` params.
 */
import type { DataSplit, ParamValue } from '../../shared/contract';
import {
  boundsParams,
  boundsText,
  explicitSplit,
  splitBounds,
  splitMethod,
  summaryParams,
  type DataSummary,
  type Series,
  type Split,
  type SplitBounds,
} from '../data';
import type { StepContext } from './report';

/** The row ranges an explicit split asks for; undefined when the fraction params decide. */
export function explicitRows(series: Series, split: DataSplit | undefined): Split | undefined {
  return split ? explicitSplit(series.values.length, series.timestamps, split) : undefined;
}

/** Logs the exact boundaries of the split in use and returns them. */
export function reportBounds(series: Series, rows: Split, split: DataSplit | undefined, ctx: StepContext): SplitBounds {
  return logBounds(boundsOf(series, rows, split), ctx);
}

/** The exact boundaries of `rows`, with how they were chosen. */
export function boundsOf(series: Series, rows: Split, split: DataSplit | undefined): SplitBounds {
  return splitBounds(rows, series.timestamps, splitMethod(split));
}

/** Logs boundaries already computed and returns them. */
export function logBounds(bounds: SplitBounds, ctx: StepContext): SplitBounds {
  const how = bounds.method === 'fractions' ? 'by the fraction params, floored' : bounds.method === 'rows' ? 'at the rows data.split names' : 'at the dates data.split names';
  ctx.report.info(`Split ${how}: ${boundsText(bounds)}`);
  return bounds;
}

/** The run params that record what was done to the data and where each part lies. */
export function dataParams(summary: DataSummary | undefined, bounds: SplitBounds): Record<string, ParamValue> {
  return { ...(summary ? summaryParams(summary) : {}), ...boundsParams(bounds) };
}

/** The model card's account of where each part lies: how the split was chosen and its exact boundaries. */
export function cardSplitBounds(b: SplitBounds) {
  return { by: b.method, boundaries: { train: b.train, val: b.val, test: b.test } };
}
