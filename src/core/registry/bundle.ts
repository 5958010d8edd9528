/**
 * The self-describing form of one model version, the same wherever it goes: a folder export writes
 * it as `trainyard-model.json` beside `files/`, and an OCI artifact carries it as its config blob
 * with one layer per file. Reading it back checks every file against the manifest it lists.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { GateReport, Lineage, ModelFile, ModelName, ModelSchema, VersionNumber, VersionSource as VersionSourceSchema } from '../../shared/contract';

export const VERSION_DOCUMENT_FILE = 'trainyard-model.json';
/** The model's files sit under this folder of an export, at their manifest paths. */
export const VERSION_FILES_DIR = 'files';

export const VersionSource = VersionSourceSchema;

export const VersionDocument = z.object({
  format: z.literal('trainyard.model-version'),
  formatVersion: z.literal(1),
  model: ModelName,
  version: VersionNumber,
  description: z.string(),
  tags: z.record(z.string(), z.string()),
  /** The manifest: every file with its size and sha256. */
  files: z.array(ModelFile).min(1),
  /** sha256 of the canonical JSON of `files` (see manifestDigest). */
  digest: z.string(),
  schema: ModelSchema,
  lineage: Lineage,
  /** The model card as training wrote it. */
  card: z.record(z.string(), z.unknown()),
  /** The latest gate report of the version, when one ran. */
  gate: GateReport.nullable(),
  exportedAt: z.string(),
  trainyardVersion: z.string(),
});
export type VersionDocument = z.infer<typeof VersionDocument>;

/**
 * sha256 of the manifest's canonical JSON: the files sorted by path, each as
 * `{"path","sizeBytes","sha256","kind"}` in that key order. Two versions with the same digest hold
 * the same bytes at the same paths.
 */
export function manifestDigest(files: readonly z.infer<typeof ModelFile>[]): string {
  const canonical = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ path: f.path, sizeBytes: f.sizeBytes, sha256: f.sha256, kind: f.kind }));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}
