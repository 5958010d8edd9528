/**
 * The body of a dataset import, run in a worker thread: reads the file, hashes it, writes the private
 * copy and parses and analyses the table. A 200 MB CSV takes seconds to parse; on the core's main
 * thread that would stall every other call (and the window) for as long. The same thread kind reads
 * a stored dataset's view (preview rows and sparklines), which parses the whole file too.
 */
import { createHash } from 'node:crypto';
import { closeSync, createWriteStream, openSync, readFileSync, readSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { toWireError } from '../../shared/errors';
import { analyzeCsvStream, analyzeTable, checkTextFile, columnSparklines, previewTable, readTable } from '../data';
import type { ImportReply, ImportRequest, ViewReply, ViewRequest } from './import-thread';

/** The first bytes of a file: enough for the delimiter guess over the first 100 lines, and the Parquet marker. */
function head(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(2 ** 20);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
  } finally {
    closeSync(fd);
  }
}

/** A CSV file streamed: hashed, copied and analysed one chunk at a time, so memory stays bounded whatever the file's size. */
async function streamCsv(path: string, start: Buffer, copyTo: string): Promise<ImportReply> {
  const hash = createHash('sha256');
  const copy = createWriteStream(copyTo, { mode: 0o600 });
  let sizeBytes = 0;
  const copied = new Promise<void>((resolve, reject) => {
    copy.once('close', resolve);
    copy.once('error', reject);
  });
  copied.catch(() => {}); // awaited below or raced above; this only keeps an early failure from counting as unhandled
  try {
    const analysis = await analyzeCsvStream(path, start.toString('utf8'), async (chunk) => {
      hash.update(chunk);
      sizeBytes += chunk.length;
      // A failed write (a full disk) ends the wait too: it would otherwise wait for a drain that never comes.
      if (!copy.write(chunk)) await Promise.race([new Promise<void>((resolve) => copy.once('drain', () => resolve())), copied]);
    });
    copy.end();
    await copied;
    return { ok: true, format: 'csv', sha256: hash.digest('hex'), sizeBytes, analysis };
  } catch (err) {
    copy.destroy();
    throw err;
  }
}

async function run(req: ImportRequest): Promise<ImportReply> {
  try {
    // The same test as streamed() in import-thread.ts, which caps this thread's heap for a streamed file.
    if (req.path !== undefined && !/\.parquet$/i.test(req.filename)) {
      const start = head(req.path);
      if (start.subarray(0, 4).toString('latin1') !== 'PAR1') {
        checkTextFile(start, req.filename);
        return await streamCsv(req.path, start, req.copyTo);
      }
    }
    // Parquet (read whole by its reader) and uploads (already in memory as bytes).
    const bytes = req.path !== undefined ? readFileSync(req.path) : Buffer.from(req.bytes);
    const table = await readTable(bytes, req.filename); // throws InvalidInput naming the row and column
    const analysis = analyzeTable(table);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    writeFileSync(req.copyTo, bytes, { mode: 0o600 });
    return { ok: true, format: table.format, sha256, sizeBytes: bytes.length, analysis };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}

async function view(req: ViewRequest): Promise<ViewReply> {
  try {
    const table = await readTable(readFileSync(req.path), req.filename);
    return { ok: true, preview: previewTable(table, req.previewRows), profile: columnSparklines(table, req.types, req.profilePoints) };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs only as a worker thread');
port.once('message', (req: ImportRequest | ViewRequest) => {
  void (req.op === 'view' ? view(req) : run(req)).then((reply) => port.postMessage(reply));
});
