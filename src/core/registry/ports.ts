/**
 * The seams between the registry's parts, so each part is built and tested on its own:
 * the store of versions (registry.ts), predict and scoring (predict/), and publishing (exporters/).
 */
import type { z } from 'zod';
import type { ModelFile, ModelVersion, RegisteredModel } from '../../shared/contract';
import type { VersionDocument, VersionSource } from './bundle';

/** A version's files laid out in a folder as the model wrote them, ready to load (read-only). */
export interface ModelOnDisk {
  version: ModelVersion;
  /** Absolute folder holding each of `version.files` at its relative path. */
  dir: string;
  /** The parsed card.json. */
  card: Record<string, unknown>;
}

/** A data file predict or evaluate reads, however the face named it. */
export interface DataFile {
  /** Absolute path of a CSV or Parquet file. */
  path: string;
  sha256: string;
  name: string;
  datasetId: string | null;
}

/** Scores models on data: predict for one, metrics on the same rows for several. Runs off the core's event loop. */
export interface ModelScorer {
  /** Metrics of each model on the same rows of `file` (the first model's test rows, or all rows). */
  evaluate(
    models: ModelOnDisk[],
    file: DataFile,
    rows: 'test' | 'all',
  ): Promise<{ rows: { which: 'test' | 'all'; count: number; from: string | null; to: string | null }; metrics: Record<string, number>[] }>;
}

/** What the registry's store offers predict and the exporters. */
export interface RegistryPort {
  /** The version a reference names (`NAME`, `NAME:7`, `NAME@alias`), its files in place; NotFound otherwise. */
  open(ref: string): Promise<ModelOnDisk>;
  /** The self-describing document of a version, for export and push. */
  document(ref: string): Promise<{ document: VersionDocument; dir: string }>;
  /**
   * Registers version N+1 of `name` from a document and a folder holding its files. Every file's size
   * and sha256 is checked against the document first; on any failure nothing is stored.
   */
  importVersion(name: string, document: VersionDocument, dir: string, source: z.infer<typeof VersionSource>): Promise<ModelVersion>;
  get(name: string): Promise<RegisteredModel>;
}

export type { ModelFile };
