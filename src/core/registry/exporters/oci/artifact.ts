/**
 * One model version as an OCI artifact with CNCF ModelPack media types: an image manifest whose
 * artifactType says "model", a config blob holding the version document (card, lineage, schema,
 * manifest) beside ModelPack's own descriptor, and one raw layer per file titled with its path.
 */
import { createHash } from 'node:crypto';
import type { ModelFile } from '../../../../shared/contract';
import type { VersionDocument } from '../../bundle';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const MODEL_ARTIFACT = 'application/vnd.cncf.model.manifest.v1+json';
export const MODEL_CONFIG = 'application/vnd.cncf.model.config.v1+json';
export const MEDIA = {
  weight: 'application/vnd.cncf.model.weight.v1.raw',
  weightConfig: 'application/vnd.cncf.model.weight.config.v1.raw',
  doc: 'application/vnd.cncf.model.doc.v1.raw',
  dataset: 'application/vnd.cncf.model.dataset.v1.raw',
} as const;
export const TITLE = 'org.opencontainers.image.title';
/** ModelPack's layer annotation for the file's path inside the model. */
export const FILEPATH = 'org.cncf.model.filepath';
export const ANNOTATION_MODEL = 'org.trainyard.model.name';
export const ANNOTATION_VERSION = 'org.trainyard.model.version';
/** The config's key holding the version document. */
export const DOCUMENT_KEY = 'trainyard';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
}

export interface Manifest {
  schemaVersion: 2;
  mediaType: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

/** The layer media type of a file by its kind: weights, their configuration, documentation or data. */
export function mediaTypeOf(file: ModelFile): string {
  if (file.kind === 'model' || file.kind === 'weights') return MEDIA.weight;
  if (file.kind === 'card' || file.kind === 'doc' || /\.(md|txt)$/i.test(file.path)) return MEDIA.doc;
  if (file.kind === 'predictions' || /\.(csv|parquet)$/i.test(file.path)) return MEDIA.dataset;
  return MEDIA.weightConfig;
}

const digestOf = (bytes: Uint8Array) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

export interface Artifact {
  config: { bytes: Buffer; descriptor: Descriptor };
  layers: { file: ModelFile; descriptor: Descriptor }[];
  manifest: { bytes: Buffer; digest: string };
}

export function buildArtifact(document: VersionDocument): Artifact {
  const layers = document.files.map((file) => ({
    file,
    descriptor: { mediaType: mediaTypeOf(file), digest: `sha256:${file.sha256}`, size: file.sizeBytes, annotations: { [TITLE]: file.path, [FILEPATH]: file.path } },
  }));
  const config = {
    descriptor: { name: document.model, version: String(document.version), createdAt: document.exportedAt, description: document.description, family: document.lineage.family },
    config: { format: 'trainyard', task: document.schema.task },
    modelfs: { type: 'layers', diffIds: layers.map((l) => l.descriptor.digest) },
    [DOCUMENT_KEY]: document,
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDescriptor: Descriptor = { mediaType: MODEL_CONFIG, digest: digestOf(configBytes), size: configBytes.byteLength };
  const manifest: Manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType: MODEL_ARTIFACT,
    config: configDescriptor,
    layers: layers.map((l) => l.descriptor),
    annotations: {
      'org.opencontainers.image.title': document.model,
      'org.opencontainers.image.version': String(document.version),
      'org.opencontainers.image.created': document.exportedAt,
      [ANNOTATION_MODEL]: document.model,
      [ANNOTATION_VERSION]: String(document.version),
    },
  };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  return { config: { bytes: configBytes, descriptor: configDescriptor }, layers, manifest: { bytes: manifestBytes, digest: digestOf(manifestBytes) } };
}

export { digestOf };
