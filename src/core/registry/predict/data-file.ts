/**
 * The data file predict and evaluate read, however the face named it: a stored dataset (its
 * immutable copy), a sample, a path, or uploaded content, which goes to a temporary file that is
 * removed once the worker is done with it.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { PredictData } from '../../../shared/contract';
import { InvalidInput, NotFound } from '../../../shared/errors';
import { contentBytes, type DatasetCatalog } from '../../datasets';
import { confine, resourcesDir } from '../../paths';
import { streamDigest } from '../digest';
import type { DataFile } from '../ports';

/** The same cap as a dataset import: larger files are not read whole into memory. */
const MAX_BYTES = 256 * 1024 * 1024;

export interface OpenedData {
  file: DataFile;
  /** Removes what opening made (the temporary copy of uploaded content); safe to call twice. */
  release(): Promise<void>;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const nothing = async () => undefined;

/** The sha256 of a file the worker will read, hashed as a stream so the core's event loop never holds a whole file. */
async function hashPath(path: string, field: string): Promise<string> {
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new InvalidInput(`${path} is not a file`, field);
    if (st.size > MAX_BYTES) throw new InvalidInput(`${path} is larger than ${MAX_BYTES / 2 ** 20} MiB`, field);
    return (await streamDigest(path)).sha256;
  } catch (err) {
    if (err instanceof InvalidInput) throw err;
    throw new InvalidInput(`Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, field);
  }
}

export async function openData(datasets: DatasetCatalog, data: PredictData): Promise<OpenedData> {
  if ('datasetId' in data) {
    const { path, dataset } = await datasets.file(data.datasetId);
    return { file: { path, sha256: dataset.sha256, name: dataset.name, datasetId: dataset.id }, release: nothing };
  }
  const source = data.source;
  switch (source.kind) {
    case 'sample': {
      if (!datasets.samples().some((s) => s.file === source.file)) throw new NotFound('Sample dataset', source.file);
      const path = confine(join(resourcesDir(), 'datasets'), source.file);
      return { file: { path, sha256: await hashPath(path, 'data.source.file'), name: source.file, datasetId: null }, release: nothing };
    }
    case 'path': {
      const path = datasets.allowPath(resolve(source.path), 'data.source.path');
      return { file: { path, sha256: await hashPath(path, 'data.source.path'), name: basename(path), datasetId: null }, release: nothing };
    }
    case 'content': {
      const bytes = contentBytes(source.text, source.encoding ?? 'utf8');
      if (bytes.length === 0) throw new InvalidInput(`${source.filename} is empty`, 'data.source.text');
      if (bytes.length > MAX_BYTES) throw new InvalidInput(`${source.filename} is larger than ${MAX_BYTES / 2 ** 20} MiB`, 'data.source.text');
      const name = basename(source.filename);
      const dir = await mkdtemp(join(tmpdir(), 'trainyard-predict-'));
      const release = () => rm(dir, { recursive: true, force: true });
      try {
        const path = join(dir, name);
        await writeFile(path, bytes);
        return { file: { path, sha256: sha256(bytes), name, datasetId: null }, release };
      } catch (err) {
        await release();
        throw err;
      }
    }
  }
}
