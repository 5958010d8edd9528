/** Step 1: read the dataset the job was given (CSV or Parquet), prove it is the file that was imported, read the target series. */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Conflict, InvalidInput } from '../../shared/errors';
import { loadTrainingFrame, type Series } from '../data';
import type { TrainTask } from '../workers';
import { sha256 } from './hash';
import type { StepContext } from './report';

export interface Loaded {
  filename: string;
  series: Series;
  /** The exogenous columns the job names, in its order, aligned row by row with the target. */
  exogenous: { name: string; values: Float64Array }[];
}

const short = (h: string) => h.slice(0, 12);

export async function loadStep(task: TrainTask, ctx: StepContext): Promise<Loaded> {
  ctx.report.progress('load', 0);
  const filename = basename(task.datasetPath);
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
  // CSV or Parquet, every named column checked (numbers, none missing, finite, time in order).
  const { series, exogenous } = await loadTrainingFrame(bytes, filename, { target: task.spec.target, exogenous: task.spec.exogenous ?? [] });
  const n = series.values.length;
  const span = series.timestamps
    ? `, ${iso(series.timestamps[0])} to ${iso(series.timestamps[n - 1])} by ${series.timeColumn}`
    : ', in file order (no time column)';
  const extra = exogenous.length ? `; exogenous ${exogenous.map((e) => e.name).join(', ')}` : '';
  ctx.report.info(`Loaded ${n} rows from ${filename} (target ${series.target}${span}${extra})`);
  ctx.report.progress('load', 1);
  return { filename, series, exogenous };
}

function iso(t: number): string {
  const s = new Date(t).toISOString();
  return s.endsWith('T00:00:00.000Z') ? s.slice(0, 10) : s.replace('.000Z', 'Z');
}
