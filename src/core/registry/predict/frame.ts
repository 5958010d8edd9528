/**
 * A data file read for one model exactly as training read its dataset: the same table reader, the
 * same checks of every column the model names (a missing column names the columns the file has; a
 * bad cell names its spreadsheet row, column and reason) and the same resolution of time order,
 * repeated timestamps and missing values as the model's card records.
 */
import { readFile } from 'node:fs/promises';
import { InvalidInput } from '../../../shared/errors';
import { readTable, validateTrainingTable, type DataTable, type TrainingFrame } from '../../data';
import type { ScoreFile } from '../../workers';
import type { ModelCardView } from './card';

export async function readDataTable(file: ScoreFile): Promise<DataTable> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file.path);
  } catch (err) {
    throw new InvalidInput(`Cannot read ${file.name}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'data');
  }
  return readTable(bytes, file.name);
}

/**
 * The model's columns of `table`, resolved as in training. `withLabels` reads the model's label
 * column where the file has one (evaluate scores against it; predict never needs it).
 */
export function frameFor(table: DataTable, view: ModelCardView, file: ScoreFile, withLabels: boolean): TrainingFrame {
  const { schema } = view;
  const label = withLabels && view.labelColumn && table.columns.includes(view.labelColumn) ? view.labelColumn : undefined;
  try {
    return validateTrainingTable(
      table,
      { target: schema.target, exogenous: schema.inputs, timeColumn: schema.timeColumn, ...(label ? { labelColumn: label } : {}) },
      view.handling,
    );
  } catch (err) {
    if (err instanceof InvalidInput) throw new InvalidInput(`${file.name}: ${err.message}`);
    throw err;
  }
}

/** Refuses a file too short for one window, saying how many rows the model needs. */
export function checkRows(frame: TrainingFrame, needed: number, what: string, file: ScoreFile): void {
  const n = frame.series.values.length;
  if (n < needed) {
    const read = frame.summary.rowsRead !== n ? ` (${frame.summary.rowsRead} read, ${n} once order, duplicates and missing values are resolved)` : '';
    throw new InvalidInput(`${file.name} has ${n} rows${read}; ${what} needs at least ${needed}`);
  }
}
