/**
 * A small, real RegistryPort for the publishing tests: versions built from a trained run's model
 * folder and stored as `<root>/<name>/<version>/{document.json,files/}`, every imported file checked
 * by size and sha256 before anything is kept. The registry's own store implements the same port.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApp } from '../../src/core/app';
import { VersionDocument } from '../../src/core/registry/bundle';
import type { ModelOnDisk, RegistryPort } from '../../src/core/registry/ports';
import { modelSchemaFromCard } from '../../src/core/registry/schema';
import { VERSION } from '../../src/core/version';
import type { ModelFile, ModelVersion, RegisteredModel, Run } from '../../src/shared/contract';
import { InvalidInput, NotFound } from '../../src/shared/errors';
import { createClient, createMemoryPair, serveConnection } from '../../src/shared/rpc';

const KINDS: Record<string, string> = { 'card.json': 'card', 'preprocessing.json': 'preprocessing', 'ridge.json': 'model', 'predictions.csv': 'predictions', 'weights.bin': 'weights' };

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Trains a `linear` model on the CO2 sample through a real app; its run and model folder. */
export async function trainLinear(dataDir: string): Promise<{ run: Run; modelDir: string }> {
  const app = await createApp({ dataDir });
  const [a, b] = createMemoryPair();
  const stop = serveConnection({ handlers: app.api, events: app.events, transport: a });
  const { api, close } = createClient(b);
  try {
    const d = await api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const job = await api.jobs.create({ spec: { kind: 'train', datasetId: d.id, target: 'CO2', model: 'linear', params: {} } });
    for (;;) {
      const j = await api.jobs.get({ id: job.id });
      if (j.status === 'completed') {
        const run = await api.runs.get({ id: j.runId! });
        return { run, modelDir: join(dataDir, 'models', run.id) };
      }
      if (j.status === 'failed' || j.status === 'cancelled') throw new Error(`training ended ${j.status}: ${j.error}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    stop();
    close();
    await app.close();
  }
}

function manifestOf(dir: string): ModelFile[] {
  const walk = (rel: string): string[] =>
    readdirSync(join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(rel, e.name)) : [join(rel, e.name)]));
  return walk('')
    .sort()
    .map((path) => {
      const bytes = readFileSync(join(dir, path));
      return { path, sizeBytes: bytes.byteLength, sha256: sha256(bytes), kind: KINDS[path] ?? 'file' };
    });
}

/** The version document of a run's model folder, as the registry would write it for version 1. */
export function documentOf(name: string, run: Run, modelDir: string): VersionDocument {
  const card = JSON.parse(readFileSync(join(modelDir, 'card.json'), 'utf8')) as Record<string, unknown>;
  const files = manifestOf(modelDir);
  const params = Object.fromEntries(Object.entries(run.params).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v)));
  return VersionDocument.parse({
    format: 'trainyard.model-version',
    formatVersion: 1,
    model: name,
    version: 1,
    description: 'ridge on CO2',
    tags: { team: 'climate' },
    files,
    digest: sha256(Buffer.from(JSON.stringify(files))),
    schema: modelSchemaFromCard(card),
    lineage: {
      runId: run.id,
      jobId: run.jobId,
      experiment: run.experiment,
      studyId: null,
      trialNumber: null,
      datasetId: run.datasetId,
      datasetName: 'co2-concentration.csv',
      datasetSha256: run.datasetSha256,
      family: run.model,
      predictor: typeof card.predictor === 'string' ? card.predictor : null,
      params,
      seed: typeof card.seed === 'number' ? card.seed : null,
      split: card.split ?? null,
      metrics: run.summary,
      backend: run.backend,
      device: run.device,
      trainyardVersion: VERSION,
      formatVersion: 1,
      tfjsVersion: typeof card.tfjsVersion === 'string' ? card.tfjsVersion : null,
      trainedAt: run.finishedAt,
    },
    card,
    gate: null,
    exportedAt: new Date().toISOString(),
    trainyardVersion: VERSION,
  });
}

export class FolderRegistryPort implements RegistryPort {
  constructor(readonly root: string) {
    mkdirSync(root, { recursive: true });
  }

  private versions(name: string): number[] {
    const dir = join(this.root, name);
    return existsSync(dir) ? readdirSync(dir).filter((v) => /^\d+$/.test(v)).map(Number).sort((a, b) => a - b) : [];
  }

  private locate(ref: string): { name: string; version: number; dir: string } {
    const m = /^([a-z0-9][a-z0-9._-]*)(?::(\d+))?$/.exec(ref);
    if (!m) throw new InvalidInput(`${ref} is not NAME or NAME:VERSION here`);
    const version = m[2] ? Number(m[2]) : this.versions(m[1]).at(-1);
    const dir = join(this.root, m[1], String(version));
    if (!version || !existsSync(dir)) throw new NotFound('Model version', ref);
    return { name: m[1], version, dir };
  }

  /** Stores a document whose files sit in `filesDir` as the next version of `name` (used to seed and by importVersion). */
  async importVersion(name: string, document: VersionDocument, dir: string, source: ModelVersion['source']): Promise<ModelVersion> {
    for (const f of document.files) {
      const path = join(dir, f.path);
      if (!existsSync(path) || statSync(path).size !== f.sizeBytes || sha256(readFileSync(path)) !== f.sha256) {
        throw new InvalidInput(`${f.path} does not match the manifest`);
      }
    }
    const version = (this.versions(name).at(-1) ?? 0) + 1;
    const stage = join(this.root, name, `.${version}.tmp`);
    mkdirSync(stage, { recursive: true });
    cpSync(dir, join(stage, 'files'), { recursive: true });
    const stored = { ...document, model: name, version };
    writeFileSync(join(stage, 'document.json'), JSON.stringify({ document: stored, source }));
    renameSync(stage, join(this.root, name, String(version)));
    return this.versionOf(stored, source);
  }

  private versionOf(d: VersionDocument, source: ModelVersion['source']): ModelVersion {
    return {
      model: d.model,
      version: d.version,
      createdAt: Date.now(),
      description: d.description,
      tags: d.tags,
      aliases: [],
      files: d.files,
      digest: d.digest,
      sizeBytes: d.files.reduce((n, f) => n + f.sizeBytes, 0),
      schema: d.schema,
      lineage: d.lineage,
      source,
      gate: d.gate,
    };
  }

  private read(dir: string): { document: VersionDocument; source: ModelVersion['source'] } {
    return JSON.parse(readFileSync(join(dir, 'document.json'), 'utf8')) as { document: VersionDocument; source: ModelVersion['source'] };
  }

  async document(ref: string): Promise<{ document: VersionDocument; dir: string }> {
    const { dir } = this.locate(ref);
    return { document: this.read(dir).document, dir: join(dir, 'files') };
  }

  async open(ref: string): Promise<ModelOnDisk> {
    const { dir } = this.locate(ref);
    const { document, source } = this.read(dir);
    return { version: this.versionOf(document, source), dir: join(dir, 'files'), card: document.card };
  }

  async get(name: string): Promise<RegisteredModel> {
    const latest = this.versions(name).at(-1);
    if (!latest) throw new NotFound('Model', name);
    const { document } = this.read(join(this.root, name, String(latest)));
    return {
      name,
      description: '',
      tags: {},
      createdAt: 0,
      updatedAt: 0,
      task: document.schema.task,
      latestVersion: latest,
      versionCount: this.versions(name).length,
      aliases: {},
      gate: { rules: [], protectedAliases: ['champion'], hooks: [] },
      lastGate: null,
    };
  }

  /** How many versions `name` has (0 when none): "a failed pull leaves no model". */
  count(name: string): number {
    return this.versions(name).length;
  }

  remove(name: string): void {
    rmSync(join(this.root, name), { recursive: true, force: true });
  }
}
