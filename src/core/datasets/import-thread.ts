/**
 * Runs a dataset's whole-file work in a worker thread (see import-worker.ts): an import's parse and
 * analysis, and the view of a stored dataset (its preview rows and column sparklines), so the core's
 * event loop keeps answering other calls while a large file is read. One thread per request.
 */
import { existsSync } from 'node:fs';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import type { ColumnType, DatasetPreview, DatasetProfile } from '../../shared/contract';
import type { TableAnalysis, TableFormat } from '../data';
import { InvalidInput, fromWireError, type TrainyardError, type WireError } from '../../shared/errors';

export type ImportRequest = { op?: 'import'; filename: string; copyTo: string } & ({ path: string; bytes?: undefined } | { path?: undefined; bytes: Uint8Array });

export type ImportReply =
  | { ok: true; format: TableFormat; sha256: string; sizeBytes: number; analysis: TableAnalysis }
  | { ok: false; error: WireError };

export type ImportResult = Extract<ImportReply, { ok: true }>;

/** A stored dataset's view: its first `previewRows` rows and its numeric columns as `profilePoints` bucket means. */
export interface ViewRequest {
  op: 'view';
  path: string;
  /** The name errors give the file (never the stored copy's path). */
  filename: string;
  /** The column types recorded at import, which the sparklines follow. */
  types: ColumnType[];
  previewRows: number;
  profilePoints: number;
}

export type ViewReply = { ok: true; preview: DatasetPreview; profile: DatasetProfile } | { ok: false; error: WireError };

export type DatasetView = Extract<ViewReply, { ok: true }>;

/** The thread's entry: built JavaScript beside this module when bundled (out/main), else the .mjs that loads the TypeScript through tsx. */
function entry(): URL {
  const built = new URL('./import-worker.js', import.meta.url);
  return import.meta.url.endsWith('.js') && existsSync(built) ? built : new URL('./import-worker.mjs', import.meta.url);
}

/**
 * The heap a streamed CSV import may use: it holds one chunk and a few counters per column, so a
 * file of any size fits. Parquet files and uploads are read whole and get no cap (see import-worker.ts).
 * The cap also bounds the import's memory: V8 lets a heap grow toward its cap before it collects
 * hard, so at 256 MB a 200 MB import took the process 144 MB above its resting RSS and at 96 MB 57 MB,
 * in the same time (bench import-lag). At 64 MB a `trainyard serve` importing a 200 MB CSV peaks at
 * 289-295 MB RSS from about 155 MB at rest (bench/import-rss.sh), under the 300 MB it is allowed.
 */
const STREAMED_HEAP_MB = 64;

/** Whether import-worker.ts streams this request (a CSV read from a path); it also checks the content for the Parquet marker. */
function streamed(req: ImportRequest): boolean {
  return req.path !== undefined && !/\.parquet$/i.test(req.filename);
}

/** Parses, analyses and copies (to `copyTo`) one file off the main thread; rejects with the typed error the parse threw. */
export function importInThread(req: ImportRequest): Promise<ImportResult> {
  const options = streamed(req) ? { resourceLimits: { maxOldGenerationSizeMb: STREAMED_HEAP_MB } } : {};
  return inThread<ImportReply>(req, options, { doing: `The import of ${req.filename}`, thread: `The import thread for ${req.filename}` });
}

/** Reads a stored dataset's preview and sparklines off the main thread. */
export function viewInThread(req: ViewRequest): Promise<DatasetView> {
  return inThread<ViewReply>(req, {}, { doing: `Reading ${req.filename}`, thread: `The thread reading ${req.filename}` });
}

/** One request in a thread of its own; resolves with its answer (or rejects with its error) once the thread is gone. */
function inThread<R extends { ok: true } | { ok: false; error: WireError }>(
  req: ImportRequest | ViewRequest,
  options: WorkerOptions,
  names: { doing: string; thread: string },
): Promise<Extract<R, { ok: true }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry(), options);
    let settled = false;
    // The caller hears back only once the thread is gone, so nothing of it (open files, memory) outlives the request.
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      worker.terminate().then(fn, (err: unknown) => reject(new Error(`${names.thread} could not be stopped: ${String(err)}`)));
    };
    worker.once('message', (reply: R) => settle(() => (reply.ok ? resolve(reply as Extract<R, { ok: true }>) : reject(rebuild((reply as { error: WireError }).error)))));
    worker.once('error', (err) => settle(() => reject(new Error(`${names.doing} failed in its worker thread: ${err.message}`))));
    worker.once('exit', (code) => settle(() => reject(new Error(`${names.thread} exited (code ${code}) before it answered`))));
    // Uploaded bytes are copied to the thread; a path is read there, so a large file never sits on the main heap.
    worker.postMessage(req);
  });
}

/** The thread's error as the class callers test for (a bad file is an InvalidInput, with its field). */
function rebuild(w: WireError): TrainyardError {
  return w.code === 'InvalidInput' ? new InvalidInput(w.message, w.field) : fromWireError(w);
}
