/**
 * The dataset catalogue: imports a CSV or Parquet file (a bundled sample, a file on disk, or a file
 * uploaded by the UI as text or base64), fingerprints it, keeps an immutable copy under the data directory and a row with its column
 * statistics. Runs point at the copy, so a dataset edited later on disk never changes past lineage.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { SampleDataset, type Dataset, type DatasetPreview, type DatasetProfile, type DatasetSource } from '../../shared/contract';
import { Conflict, InvalidInput, NotFound } from '../../shared/errors';
import { newId } from '../ids';
import { confine, dataPaths, resourcesDir } from '../paths';
import { DatasetRepository, type Store, type StoredDataset } from '../store';
import { importInThread, viewInThread, type DatasetView, type ImportResult } from './import-thread';
import { pathPolicy, type PathImports } from './path-imports';
import { cannotTrainReason, datasetWarnings } from './warnings';

/** Larger files belong to the Parquet/streaming path of the pipeline issue, not an in-memory parse. */
const MAX_BYTES = 256 * 1024 * 1024;
/** The most rows a preview shows (the API's limit). */
const PREVIEW_MAX_ROWS = 1000;
/** The sparkline width a preview's view is read with when no profile was asked for yet (the API's default). */
const DEFAULT_PROFILE_POINTS = 60;
/** Dataset views (preview rows and sparklines, a few hundred KB at most) kept for datasets opened again. */
const VIEWS_KEPT = 8;

export class DatasetCatalog {
  private readonly repo: DatasetRepository;
  /** Views read by `view`, by `${id}:${points}`, least recently used first. */
  private readonly views = new Map<string, Promise<DatasetView>>();
  /** Returns the path to read, or refuses one this core may not read (see path-imports.ts). */
  readonly allowPath: (path: string, field: string) => string;

  constructor(
    store: Store,
    private readonly dataDir: string,
    pathImports: PathImports = 'any',
  ) {
    this.repo = new DatasetRepository(store.db);
    this.allowPath = pathPolicy(pathImports);
  }

  samples(): SampleDataset[] {
    const file = join(resourcesDir(), 'datasets', 'samples.json');
    return SampleDataset.array().parse(JSON.parse(readFileSync(file, 'utf8')));
  }

  async import(source: DatasetSource, name?: string): Promise<Dataset> {
    const input = this.read(source);
    const { filename } = input;
    const datasetName = (name ?? filename.replace(/\.(csv|parquet)$/i, '')).trim();
    if (!datasetName) throw new InvalidInput('name must not be empty', 'name');

    const id = newId();
    const dir = dataPaths(this.dataDir).datasets;
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `${id}.tmp`);
    let result: ImportResult;
    try {
      // Parse, analysis, hash and copy run in a worker thread: a large file would otherwise stall every other call.
      result = await importInThread({ ...input, copyTo: tmp });
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    const { analysis, sha256 } = result;

    const existing = await this.repo.byName(datasetName);
    if (existing) {
      await rm(tmp, { force: true });
      // Importing the same bytes twice is harmless; reusing a name for other bytes would rewrite lineage.
      if (existing.sha256 === sha256) return strip(existing);
      throw new Conflict(`A dataset named ${JSON.stringify(datasetName)} already exists with different contents; choose another name`);
    }

    // The copy keeps its format's extension; readers go by the file's bytes either way.
    const ext = result.format === 'parquet' ? 'parquet' : 'csv';
    const relPath = join('datasets', `${id}.${ext}`);
    await rename(tmp, join(this.dataDir, relPath)); // whole file or nothing
    const dataset: StoredDataset = {
      id,
      name: datasetName,
      filename,
      path: relPath,
      sha256,
      sizeBytes: result.sizeBytes,
      rows: analysis.rows,
      columns: analysis.columns,
      timeColumn: analysis.timeColumn,
      createdAt: Date.now(),
    };
    await this.repo.insert(dataset);
    return strip(dataset);
  }

  async list(): Promise<Dataset[]> {
    return (await this.repo.list()).map(strip);
  }

  async get(id: string): Promise<Dataset> {
    return strip(await this.stored(id));
  }

  /** The stored copy's absolute path, for the worker that trains on it. */
  async file(id: string): Promise<{ path: string; dataset: Dataset }> {
    const d = await this.stored(id);
    return { path: confine(this.dataDir, d.path), dataset: strip(d) };
  }

  /** The first `limit` rows (at most PREVIEW_MAX_ROWS), with cells typed as their columns. */
  async preview(id: string, limit: number): Promise<DatasetPreview> {
    if (!Number.isInteger(limit) || limit < 1 || limit > PREVIEW_MAX_ROWS) throw new InvalidInput(`limit must be a whole number from 1 to ${PREVIEW_MAX_ROWS}`, 'limit');
    // Any view of the dataset will do: each holds the first PREVIEW_MAX_ROWS rows.
    const held = [...this.views.entries()].find(([key]) => key.startsWith(`${id}:`));
    const { preview } = await (held ? held[1] : this.view(id, DEFAULT_PROFILE_POINTS));
    return { columns: preview.columns, rows: preview.rows.slice(0, limit) };
  }

  /** Each numeric column reduced to `points` bucket means, in file order: the column profile's sparklines. */
  async profile(id: string, points: number): Promise<DatasetProfile> {
    return (await this.view(id, points)).profile;
  }

  /**
   * The dataset's preview and its sparklines at `points`, read in a thread (a whole-file parse: seconds
   * for a large file, which on the main thread would stall every other call). A dataset's stored copy
   * never changes, so a view is kept and shared: the Datasets view asks for the preview and the profile
   * together, and they cost one parse. The few most recent views are kept; a failed read is not.
   */
  private view(id: string, points: number): Promise<DatasetView> {
    const key = `${id}:${points}`;
    const held = this.views.get(key);
    if (held) {
      this.views.delete(key); // to the back: most recently used
      this.views.set(key, held);
      return held;
    }
    const reading = this.file(id).then(({ path, dataset }) =>
      viewInThread({ op: 'view', path, filename: dataset.filename, types: dataset.columns.map((c) => c.type), previewRows: PREVIEW_MAX_ROWS, profilePoints: points }),
    );
    this.views.set(key, reading);
    reading.catch(() => {
      if (this.views.get(key) === reading) this.views.delete(key);
    });
    while (this.views.size > VIEWS_KEPT) this.views.delete(this.views.keys().next().value as string);
    return reading;
  }

  /** Names are unique: runs and the registry show them, so two datasets must never read alike. */
  async rename(id: string, name: string): Promise<Dataset> {
    const d = await this.stored(id);
    const next = name.trim();
    if (!next) throw new InvalidInput('The new name must not be empty', 'name');
    if (next === d.name) return strip(d);
    const taken = await this.repo.byName(next);
    if (taken) throw new Conflict(`A dataset named ${JSON.stringify(next)} already exists; choose another name`);
    await this.repo.rename(id, next);
    return strip({ ...d, name: next });
  }

  /** Removes the dataset and its stored copy, unless a queued or running job or a running study still reads it. */
  async delete(id: string): Promise<{ id: string; freedBytes: number }> {
    const d = await this.stored(id);
    const users = await this.repo.removeUnlessUsed(id);
    if (users.jobs.length > 0 || users.studies.length > 0) {
      const parts = [
        users.jobs.length > 0 ? `${users.jobs.length === 1 ? 'job' : 'jobs'} ${users.jobs.join(', ')} (queued or running)` : null,
        users.studies.length > 0 ? `running ${users.studies.length === 1 ? 'study' : 'studies'} ${users.studies.map((n) => JSON.stringify(n)).join(', ')}` : null,
      ].filter(Boolean);
      throw new Conflict(`Dataset ${JSON.stringify(d.name)} is in use by ${parts.join(' and ')}; cancel or wait for them, then delete it`);
    }
    for (const key of [...this.views.keys()]) if (key.startsWith(`${id}:`)) this.views.delete(key);
    // The row is gone first: a crash here leaves an orphan file, never a row pointing at nothing.
    await rm(confine(this.dataDir, d.path), { force: true });
    return { id, freedBytes: d.sizeBytes };
  }

  private async stored(id: string): Promise<StoredDataset> {
    const d = await this.repo.get(id);
    if (!d) throw new NotFound('Dataset', id);
    return d;
  }

  /** What to import: a file's path (read in the import thread) or an upload's bytes, checked for size first. */
  private read(source: DatasetSource): { filename: string; path: string } | { filename: string; bytes: Buffer } {
    switch (source.kind) {
      case 'sample': {
        const sample = this.samples().find((s) => s.file === source.file);
        if (!sample) throw new NotFound('Sample dataset', source.file);
        return { filename: sample.file, path: confine(join(resourcesDir(), 'datasets'), sample.file) };
      }
      case 'path': {
        const path = this.allowPath(source.path, 'source.path');
        let size: number;
        try {
          const st = statSync(path);
          if (!st.isFile()) throw new InvalidInput(`${source.path} is not a file`, 'source.path');
          size = st.size;
        } catch (err) {
          if (err instanceof InvalidInput) throw err;
          throw new InvalidInput(`Cannot read ${source.path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, 'source.path');
        }
        checkSize(basename(source.path), size, 'source.path');
        return { filename: basename(source.path), path };
      }
      case 'content': {
        const filename = basename(source.filename);
        const bytes = contentBytes(source.text, source.encoding ?? 'utf8');
        checkSize(filename, bytes.length, 'source');
        return { filename, bytes };
      }
    }
  }
}

function checkSize(filename: string, size: number, field: string): void {
  if (size === 0) throw new InvalidInput(`${filename} is empty`, field);
  if (size > MAX_BYTES) throw new InvalidInput(`${filename} is larger than ${MAX_BYTES / 2 ** 20} MiB`, field);
}

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/** An uploaded file's bytes. Node's base64 decoder skips characters it does not know, so the text is checked first. */
export function contentBytes(text: string, encoding: 'utf8' | 'base64'): Buffer {
  if (encoding === 'utf8') return Buffer.from(text, 'utf8');
  const compact = text.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64_RE.test(compact)) {
    throw new InvalidInput('The uploaded content is not valid base64', 'source.text');
  }
  return Buffer.from(compact, 'base64');
}

function strip(d: StoredDataset): Dataset {
  const { path: _path, ...rest } = d;
  return { ...rest, warnings: datasetWarnings(rest), cannotTrain: cannotTrainReason(rest) };
}
