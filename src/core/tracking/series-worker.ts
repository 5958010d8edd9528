/**
 * The body of the series read thread (see series-thread.ts): long reads of metric series on a
 * read-only connection of its own. WAL lets it read while the core writes; it sees what was
 * committed when each read began.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { toWireError } from '../../shared/errors';
import { SeriesReader } from './series-read';
import type { SeriesReply, SeriesRequest } from './series-thread';

const port = parentPort;
if (!port) throw new Error('series-worker.ts runs only as a worker thread');
const { file, nativeBinding } = workerData as { file: string; nativeBinding?: string };
const db = new Database(file, { readonly: true, fileMustExist: true, ...(nativeBinding ? { nativeBinding } : {}) });
const reader = new SeriesReader(db);

function answer(req: SeriesRequest): { reply: SeriesReply; transfer: ArrayBuffer[] } {
  try {
    if (req.op === 'read') return { reply: { id: req.id, ok: true, op: 'read', ...reader.read(req.runId, req.key, req.maxPoints, req.window) }, transfer: [] };
    const c = reader.columns(req.runId, req.key, req.window);
    if (req.op === 'csv') return { reply: { id: req.id, ok: true, op: 'csv', text: toCsv(c), count: c.step.length }, transfer: [] };
    return { reply: { id: req.id, ok: true, op: 'columns', ...c }, transfer: [c.step.buffer, c.ts.buffer, c.value.buffer] };
  } catch (err) {
    return { reply: { id: req.id, ok: false, error: toWireError(err) }, transfer: [] };
  }
}

function toCsv(c: { step: Float64Array; ts: Float64Array; value: Float64Array }): string {
  const lines = ['step,ts,value'];
  for (let i = 0; i < c.step.length; i++) lines.push(`${c.step[i]},${c.ts[i]},${c.value[i]}`);
  return `${lines.join('\n')}\n`;
}

port.on('message', (req: SeriesRequest | { op: 'close' }) => {
  if (req.op === 'close') {
    db.close();
    port.close();
    return;
  }
  const { reply, transfer } = answer(req);
  port.postMessage(reply, transfer);
});
