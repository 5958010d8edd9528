/** Datasets: imported files with their fingerprint, columns and statistics. */
import { z } from 'zod';
import { ById, Empty, Id, Millis, method } from './vocabulary';


export const ColumnType = z.enum(['number', 'timestamp', 'string']);
export type ColumnType = z.infer<typeof ColumnType>;

/** Cells a column's type cannot read: the first one (spreadsheet row, value) and how many. */
export const UnreadableCells = z.object({
  /** What the column's cells were read as: numbers or dates and times. */
  as: z.enum(['number', 'timestamp']),
  count: z.number().int(),
  row: z.number().int(),
  value: z.string(),
});
export type UnreadableCells = z.infer<typeof UnreadableCells>;

export const ColumnStats = z.object({
  name: z.string(),
  type: ColumnType,
  missing: z.number().int(),
  /** Spreadsheet row (header = 1) of the first missing value; absent in datasets imported before it was recorded. */
  firstMissingRow: z.number().int().nullable().optional(),
  /** Text in a mostly numeric column, NaN or an infinity, or a value a time column cannot read; null when none. */
  unreadable: UnreadableCells.nullable().optional(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
});
export type ColumnStats = z.infer<typeof ColumnStats>;

/**
 * What training would later refuse, said at import: not a refusal, since a column with text may
 * simply not be one a job trains on.
 */
export const DatasetWarning = z.object({
  kind: z.enum(['unreadable', 'missing', 'few_rows']),
  /** The column it is about; null for the whole file. */
  column: z.string().nullable(),
  message: z.string(),
});
export type DatasetWarning = z.infer<typeof DatasetWarning>;

export const Dataset = z.object({
  id: Id,
  name: z.string(),
  filename: z.string(),
  /** sha256 of the file's bytes: the lineage every run records. */
  sha256: z.string(),
  sizeBytes: z.number().int(),
  rows: z.number().int(),
  columns: z.array(ColumnStats),
  /** The column that orders the rows in time, when one was found. */
  timeColumn: z.string().nullable(),
  /** Per column: unreadable cells and missing values; for the file: too few rows to train with the defaults. */
  warnings: z.array(DatasetWarning).default([]),
  /** Why no job can train on it with the defaults (no numeric column, too few rows); null when one can. */
  cannotTrain: z.string().nullable().default(null),
  createdAt: Millis,
});
export type Dataset = z.infer<typeof Dataset>;

export const SampleDataset = z.object({
  /** File name under resources/datasets. */
  file: z.string(),
  title: z.string(),
  description: z.string(),
  source: z.string(),
  licence: z.string(),
  frequency: z.string(),
  /** A sensible column to forecast (or, for an anomaly sample, to score). */
  target: z.string(),
  /** A 0/1 column marking known anomalies, for samples made to test the anomaly families. */
  labelColumn: z.string().optional(),
});
export type SampleDataset = z.infer<typeof SampleDataset>;

export const DatasetSource = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sample'), file: z.string().min(1) }),
  z.object({ kind: z.literal('path'), path: z.string().min(1) }),
  z.object({
    kind: z.literal('content'),
    filename: z.string().min(1).max(255),
    /** The file's text, or its bytes in base64 for a binary file (Parquet); the WebSocket face caps a message at 64 MiB. */
    text: z.string(),
    /** How `text` holds the file: as UTF-8 text (the default) or base64-encoded bytes. */
    encoding: z.enum(['utf8', 'base64']).optional(),
  }),
]);
export type DatasetSource = z.infer<typeof DatasetSource>;

export const DatasetPreview = z.object({
  columns: z.array(z.string()),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
});
export type DatasetPreview = z.infer<typeof DatasetPreview>;

/** Each numeric column's values in file order, reduced to at most `points` bucket means: enough for a sparkline. */
export const DatasetProfile = z.object({
  columns: z.array(z.object({ name: z.string(), values: z.array(z.number().nullable()) })),
});
export type DatasetProfile = z.infer<typeof DatasetProfile>;

export const datasetsMethods = {
  samples: method(Empty, z.array(SampleDataset)),
  import: method(z.object({ source: DatasetSource, name: z.string().min(1).max(200).optional() }).strict(), Dataset),
  list: method(Empty, z.array(Dataset)),
  get: method(ById, Dataset),
  preview: method(z.object({ id: Id, limit: z.number().int().min(1).max(1000).default(20) }).strict(), DatasetPreview),
  profile: method(z.object({ id: Id, points: z.number().int().min(2).max(400).default(60) }).strict(), DatasetProfile),
  /** A new name; runs keep pointing at the same bytes (the id and sha256 do not change). */
  rename: method(z.object({ id: Id, name: z.string().trim().min(1).max(200) }).strict(), Dataset),
  /** Removes the dataset and its stored copy; refused while a queued or running job, or a running study, uses it. */
  delete: method(ById, z.object({ id: Id, freedBytes: z.number().int() })),
};
