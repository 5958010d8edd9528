/**
 * Step 1: read the dataset the job was given (CSV or Parquet), prove it is the file that was imported,
 * read the target series. `readDataset` is the part every family shares; the anomaly families call it
 * from their own load step with the label column instead of exogenous ones.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { DataHandling, type DataSplit } from '../../shared/contract';
import { Conflict, InvalidInput } from '../../shared/errors';
import { isoTime as iso, loadTrainingFrame, summaryLines, type DataSummary, type Series, type TrainingColumns, type TrainingFrame } from '../data';
import type { TrainTask } from '../workers';
import { sha256 } from './hash';
import type { StepContext } from './report';

export interface Loaded {
  filename: string;
  series: Series;
  /** The exogenous columns the job names, in its order, aligned row by row with the target. */
  exogenous: { name: string; values: Float64Array }[];
  /** What resolving time order, duplicates and missing values did to the file's rows (absent for a series built in memory). */
  data?: DataSummary;
  /** The job's explicit split (rows or dates); fractions from the params when absent. */
  split?: DataSplit;
}

export interface DatasetRead {
  filename: string;
  frame: TrainingFrame;
  /** The job's data handling with its defaults filled in. */
  handling: DataHandling;
}

const short = (h: string) => h.slice(0, 12);

/**
 * Reads the job's dataset file, checks its sha256 against the one recorded at import, reads the
 * named columns, every one checked (numbers, finite, 0/1 labels), and resolves time order,
 * duplicates and missing values as the job's `data` says, logging what that did. Reports the load
 * step's progress up to 1/2; the caller logs what it loaded and ends the step.
 */
export async function readDataset(task: TrainTask, ctx: StepContext, columns: TrainingColumns): Promise<DatasetRead> {
  ctx.report.progress('load', 0);
  // The user's own file name: the stored copy's name (the dataset's id) means nothing to them.
  const filename = task.datasetFilename ?? basename(task.datasetPath);
  let bytes: Buffer;
  try {
    bytes = await readFile(task.datasetPath);
  } catch (err) {
    throw new InvalidInput(`Cannot read the dataset ${filename}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  // Lineage: a run records the sha256 of what it trained on, so it must train on exactly that.
  const digest = sha256(bytes);
  if (digest !== task.datasetSha256) {
    throw new Conflict(
      `The dataset file ${filename} has changed since it was imported (sha256 ${short(digest)}..., expected ${short(task.datasetSha256)}...); import it again`,
    );
  }
  ctx.report.progress('load', 0.5);
  const handling = DataHandling.parse(task.spec.data ?? {});
  const frame = await loadTrainingFrame(bytes, filename, columns, handling);
  for (const line of summaryLines(frame.summary, frame.outOfOrder)) ctx.report.log(line.level, line.message);
  return { filename, frame, handling };
}

/** ", 2020-01-01 to 2020-12-31 by date" for the load log line, or that the rows are in file order. */
export function spanText(series: Series): string {
  const n = series.values.length;
  return series.timestamps
    ? `, ${iso(series.timestamps[0])} to ${iso(series.timestamps[n - 1])} by ${series.timeColumn}`
    : ', in file order (no time column)';
}

export async function loadStep(task: TrainTask, ctx: StepContext): Promise<Loaded> {
  const { filename, frame, handling } = await readDataset(task, ctx, { target: task.spec.target, exogenous: task.spec.exogenous ?? [] });
  const { series, exogenous } = frame;
  const extra = exogenous.length ? `; exogenous ${exogenous.map((e) => e.name).join(', ')}` : '';
  ctx.report.info(`Loaded ${series.values.length} rows from ${filename} (target ${series.target}${spanText(series)}${extra})`);
  ctx.report.progress('load', 1);
  return { filename, series, exogenous, data: frame.summary, ...(handling.split ? { split: handling.split } : {}) };
}
