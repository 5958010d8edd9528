/**
 * The body of a dataset import, run in a worker thread: reads the file, hashes it, writes the private
 * copy and parses and analyses the table. A 200 MB CSV takes seconds to parse; on the core's main
 * thread that would stall every other call (and the window) for as long.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { toWireError } from '../../shared/errors';
import { analyzeTable, readTable } from '../data';
import type { ImportReply, ImportRequest } from './import-thread';

async function run(req: ImportRequest): Promise<ImportReply> {
  try {
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

const port = parentPort;
if (!port) throw new Error('import-worker.ts runs only as a worker thread');
port.once('message', (req: ImportRequest) => {
  void run(req).then((reply) => port.postMessage(reply));
});
