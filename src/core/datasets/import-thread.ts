/**
 * Runs one dataset import's parse and analysis in a worker thread (see import-worker.ts), so the
 * core's event loop keeps answering other calls while a large file is read.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { TableAnalysis, TableFormat } from '../data';
import { InvalidInput, fromWireError, type TrainyardError, type WireError } from '../../shared/errors';

export type ImportRequest = { filename: string; copyTo: string } & ({ path: string; bytes?: undefined } | { path?: undefined; bytes: Uint8Array });

export type ImportReply =
  | { ok: true; format: TableFormat; sha256: string; sizeBytes: number; analysis: TableAnalysis }
  | { ok: false; error: WireError };

export type ImportResult = Extract<ImportReply, { ok: true }>;

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
  return new Promise((resolve, reject) => {
    const worker = new Worker(entry(), streamed(req) ? { resourceLimits: { maxOldGenerationSizeMb: STREAMED_HEAP_MB } } : {});
    let settled = false;
    // The caller hears back only once the thread is gone, so nothing of it (open files, memory) outlives the import.
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      worker.terminate().then(fn, (err: unknown) => reject(new Error(`The import thread for ${req.filename} could not be stopped: ${String(err)}`)));
    };
    worker.once('message', (reply: ImportReply) => settle(() => (reply.ok ? resolve(reply) : reject(rebuild(reply.error)))));
    worker.once('error', (err) => settle(() => reject(new Error(`The import of ${req.filename} failed in its worker thread: ${err.message}`))));
    worker.once('exit', (code) => settle(() => reject(new Error(`The import thread for ${req.filename} exited (code ${code}) before it answered`))));
    // Uploaded bytes are copied to the thread; a path is read there, so a large file never sits on the main heap.
    worker.postMessage(req);
  });
}

/** The thread's error as the class callers test for (a bad file is an InvalidInput, with its field). */
function rebuild(w: WireError): TrainyardError {
  return w.code === 'InvalidInput' ? new InvalidInput(w.message, w.field) : fromWireError(w);
}
