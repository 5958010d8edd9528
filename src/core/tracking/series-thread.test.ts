import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { dataPaths } from '../paths';
import { openStore, type MetricRow, type Store } from '../store';
import { MAIN_THREAD_ROWS, Tracking } from './index';
import { SeriesReader } from './series-read';

let t: ReturnType<typeof tempDir>;
let store: Store;
let tracking: Tracking;
beforeEach(() => {
  t = tempDir();
  store = openStore(dataPaths(t.dir).db);
  tracking = new Tracking(store);
});
afterEach(async () => {
  await tracking.close();
  await store.close();
  t.cleanup();
});

async function runWith(n: number): Promise<{ id: string; rows: MetricRow[] }> {
  const id = await tracking.startRun({ experiment: 'long', jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: {} });
  const rows = Array.from({ length: n }, (_, i): MetricRow => ({ runId: id, key: 'loss', step: i, ts: 1_000 + i, value: Math.sin(i / 50) + (i === 12_345 ? 9 : 0) }));
  for (let i = 0; i < rows.length; i += 20_000) await tracking.recordMetrics(rows.slice(i, i + 20_000));
  return { id, rows };
}

describe('long series reads in the series thread', () => {
  it('a read too long for the main thread gives, from the thread on its own connection, the points the main thread would', async () => {
    const { id } = await runWith(600_000);
    const reader = new SeriesReader(store.raw);
    expect(reader.plan(id, 'loss', 10_000).rows).toBeGreaterThan(MAIN_THREAD_ROWS);
    const [threaded] = await tracking.metrics(id, ['loss'], 10_000);
    expect(threaded.points).toEqual(reader.read(id, 'loss', 10_000).points);
    expect(threaded.total).toBe(600_000);
    expect(threaded.points.length).toBeLessThanOrEqual(10_000);
    expect(Math.max(...threaded.points.map((p) => p.value))).toBeCloseTo(Math.sin(12_345 / 50) + 9, 12);
  });

  it('a whole-series export is built in the thread: a timer set when it starts fires before it answers, and every point is in it', async () => {
    const { id, rows } = await runWith(200_000);
    await tracking.exportSeries(id, 'loss'); // the thread is started and warm
    const order: string[] = [];
    const exported = tracking.exportSeries(id, 'loss').then((e) => {
      order.push('export');
      return e;
    });
    // A timer fires only when the event loop is free: a read on the main thread would answer first.
    await new Promise<void>((resolve) => setTimeout(() => resolve(void order.push('timer')), 0));
    const e = await exported;
    expect(order).toEqual(['timer', 'export']);
    expect(e.count).toBe(rows.length);
    const lines = e.text.trimEnd().split('\n');
    expect(lines[0]).toBe('step,ts,value');
    expect(lines.length).toBe(rows.length + 1);
    expect(lines[12_346]).toBe(`12345,${1_000 + 12_345},${rows[12_345].value}`);
    expect(e.mime).toBe('text/csv');
  });

  it('an export of a series the run does not have names it', async () => {
    const { id } = await runWith(10);
    await expect(tracking.exportSeries(id, 'val_loss')).rejects.toThrow(/val_loss/);
  });
});
