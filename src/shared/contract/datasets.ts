/** Datasets: imported files with their fingerprint, columns and statistics. */
import { z } from 'zod';
import { ById, Empty, Id, Millis, method } from './vocabulary';


export const ColumnType = z.enum(['number', 'timestamp', 'string']);
export type ColumnType = z.infer<typeof ColumnType>;

export const ColumnStats = z.object({
  name: z.string(),
  type: ColumnType,
  missing: z.number().int(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  mean: z.number().nullable(),
});
export type ColumnStats = z.infer<typeof ColumnStats>;

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

export const datasetsMethods = {
  samples: method(Empty, z.array(SampleDataset)),
  import: method(z.object({ source: DatasetSource, name: z.string().min(1).max(200).optional() }).strict(), Dataset),
  list: method(Empty, z.array(Dataset)),
  get: method(ById, Dataset),
  preview: method(z.object({ id: Id, limit: z.number().int().min(1).max(1000).default(20) }).strict(), DatasetPreview),
};
