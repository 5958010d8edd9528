/**
 * Experiment tracking at scale, on one SQLite file in a temp data directory:
 *  - metric ingest through the tracking API (batches of 1,000 points, one transaction each, the
 *    summary table kept up to date) against the ceiling of the same file: raw prepared inserts of
 *    the same points in one transaction, measured in the same run, as a ratio;
 *  - the downsampled read of a 1,000,000-point series written interleaved with a second one, as
 *    training writes loss and val_loss (what a chart asks for: 1,000 points);
 *  - the runs query over 10,000 runs with a filter, sorted by a metric, one page of 200.
 * The 10,000 runs are seeded with raw inserts (the ingest figure above measures the write path).
 */
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '../src/core/ids';
import { openStore, type Store } from '../src/core/store';
import { Tracking, type MetricRow } from '../src/core/tracking';

export const INGEST_POINTS = 200_000;
export const BATCH = 1000;
const LONG_SERIES = 1_000_000;
const RUNS = 10_000;
const QUERY = 'metrics.test.rmse < 0.5 and (params.model = "lstm" or tags.stage = "candidate")';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function timeMs(fn: () => Promise<unknown>, repeat: number): Promise<number> {
  await fn(); // warm-up: statement caches, page cache
  const times: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  return median(times);
}

export function points(runId: string, n: number, keys: string[]): MetricRow[] {
  const out: MetricRow[] = [];
  const t0 = Date.now();
  for (let i = 0; i < n; i++) out.push({ runId, key: keys[i % keys.length], step: Math.floor(i / keys.length), ts: t0 + i, value: Math.sin(i / 1000) + Math.random() * 0.01 });
  return out;
}

/**
 * Metric ingest through the tracking API (batches of BATCH points, one transaction each, summaries
 * kept) against raw prepared inserts of the same points in one transaction, on the same file,
 * alternating rounds so both share the machine's noise; points/s, median of 5 rounds.
 */
export async function measureIngest(store: Store, api: Tracking, newRun: () => Promise<string>): Promise<{ apiRate: number; rawRate: number; oneBatchRate: number; cpuRatio: number }> {
  // CPU time of this process as well as the wall clock: on a shared machine the wall-clock rounds
  // swing with other work (0.4-1.0 in one run), CPU time much less.
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const apiCpu: number[] = [];
  const rawCpu: number[] = [];
  const keys = ['loss', 'val_loss', 'lr', 'sys.cpu_percent'];
  const insert = store.raw.prepare('INSERT INTO metrics (run_id, key, step, ts, value) VALUES (?, ?, ?, ?, ?)');
  const rawBatch = store.raw.transaction((rows: MetricRow[]) => {
    for (const p of rows) insert.run(p.runId, p.key, p.step, p.ts, p.value);
  });
  const apiRates: number[] = [];
  const rawRates: number[] = [];
  const oneBatchRates: number[] = [];
  for (let round = 0; round < 5; round++) {
    const viaApi = points(await newRun(), INGEST_POINTS, keys);
    let t0 = performance.now();
    let c0 = cpuMs();
    for (let i = 0; i < viaApi.length; i += BATCH) await api.recordMetrics(viaApi.slice(i, i + BATCH));
    apiRates.push(INGEST_POINTS / ((performance.now() - t0) / 1000));
    apiCpu.push(cpuMs() - c0);

    // The same API with every point in one batch: what is left of the gap is per-commit cost.
    const oneBatch = points(await newRun(), INGEST_POINTS, keys);
    t0 = performance.now();
    await api.recordMetrics(oneBatch);
    oneBatchRates.push(INGEST_POINTS / ((performance.now() - t0) / 1000));

    const viaRaw = points(await newRun(), INGEST_POINTS, keys);
    t0 = performance.now();
    c0 = cpuMs();
    rawBatch(viaRaw);
    rawRates.push(INGEST_POINTS / ((performance.now() - t0) / 1000));
    rawCpu.push(cpuMs() - c0);
  }
  return { apiRate: median(apiRates), rawRate: median(rawRates), oneBatchRate: median(oneBatchRates), cpuRatio: median(rawCpu) / median(apiCpu) };
}

export async function tracking(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-tracking-'));
  const store = openStore(join(dir, 'trainyard.db'));
  const api = new Tracking(store);
  try {
    const newRun = (experiment = 'bench') => api.startRun({ experiment, jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: {} });

    // --- ingest: API vs raw prepared inserts, same file, same points, alternating to share noise.
    const { apiRate, rawRate, oneBatchRate, cpuRatio } = await measureIngest(store, api, () => newRun());

    // --- a 1,000,000-point series, read back downsampled to 1,000 points.
    const long = await newRun();
    // Interleaved with a second series, as a training run writes loss and val_loss epoch by epoch.
    const longPoints = points(long, 2 * LONG_SERIES, ['loss', 'val_loss']);
    for (let i = 0; i < longPoints.length; i += 50_000) await api.recordMetrics(longPoints.slice(i, i + 50_000));
    let got = 0;
    const readMs = await timeMs(async () => {
      const [series] = await api.metrics(long, ['loss'], 1000);
      got = series.points.length;
    }, 5);
    // The reference: the same series read whole with a raw prepared statement (what a chart would
    // receive without downsampling on the core).
    const whole = store.raw.prepare("SELECT step, ts, value FROM metrics WHERE run_id = ? AND key = 'loss' ORDER BY step, ts").raw();
    const wholeMs = await timeMs(async () => whole.all(long), 3);

    // --- 10,000 runs with params, tags and final metrics; one filtered, sorted page.
    const exp = store.raw.prepare('SELECT id FROM experiments WHERE name = ?').pluck();
    const experimentId = ((await newRun('sweep')) && exp.get('sweep')) as string;
    const insRun = store.raw.prepare("INSERT INTO runs (id, experiment_id, status, model, created_at) VALUES (?, ?, 'completed', ?, ?)");
    const insParam = store.raw.prepare('INSERT INTO params (run_id, key, value) VALUES (?, ?, ?)');
    const insTag = store.raw.prepare('INSERT INTO run_tags (run_id, key, value) VALUES (?, ?, ?)');
    const pending: MetricRow[] = [];
    const seed = store.raw.transaction(() => {
      const models = ['mlp', 'lstm', 'gru', 'conv1d'];
      for (let i = 0; i < RUNS; i++) {
        const id = newId();
        const model = models[i % models.length];
        insRun.run(id, experimentId, model, Date.now() + i);
        insParam.run(id, 'model', JSON.stringify(model));
        insParam.run(id, 'lr', JSON.stringify([0.1, 0.01, 0.001][i % 3]));
        insParam.run(id, 'window', JSON.stringify(6 + (i % 48)));
        if (i % 7 === 0) insTag.run(id, 'stage', 'candidate');
        const rows: MetricRow[] = [];
        for (const key of ['test.mae', 'test.rmse', 'test.mape', 'test.r2', 'naive.rmse']) rows.push({ runId: id, key, step: 0, ts: 1, value: Math.random() });
        // 50 epochs of loss history each: half a million metric rows the query must not scan.
        for (let e = 0; e < 50; e++) rows.push({ runId: id, key: 'loss', step: e, ts: 1 + e, value: 1 / (e + 1) });
        pending.push(...rows);
        // Final metrics go through the tracking API below, so the summary is filled the real way.
      }
    });
    seed();
    for (let i = 0; i < pending.length; i += 50_000) await api.recordMetrics(pending.slice(i, i + 50_000));
    let total = 0;
    const queryMs = await timeMs(async () => {
      const page = await api.list({ query: QUERY, includeArchived: false, sort: { key: 'metrics.test.rmse', order: 'asc' }, offset: 0, limit: 200 });
      total = page.total;
    }, 5);
    const unfilteredMs = await timeMs(() => api.list({ query: '', includeArchived: false, sort: { key: 'created', order: 'desc' }, offset: 0, limit: 200 }), 5);

    process.stdout.write(
      `${INGEST_POINTS} points per round in batches of ${BATCH}, 4 keys, median of 5 rounds; reads median of 5 after a warm-up\n` +
        `| measure | Trainyard | ceiling / note |\n| --- | --- | --- |\n` +
        `| metric ingest, points/s (tracking API vs raw prepared inserts, one transaction) | ${apiRate.toFixed(0)} | ${rawRate.toFixed(0)} |\n` +
        `| ingest ratio (API / raw) | ${(apiRate / rawRate).toFixed(3)} | by CPU time (raw / API) ${cpuRatio.toFixed(3)} |\n` +
        `| metric ingest, points/s, tracking API with all ${INGEST_POINTS} points in one batch | ${oneBatchRate.toFixed(0)} | ratio to raw ${(oneBatchRate / rawRate).toFixed(3)} |\n` +
        `| downsampled read of a ${LONG_SERIES.toLocaleString('en')}-point series, ms | ${readMs.toFixed(1)} | ${got} points returned |\n` +
        `| the same series read whole (raw prepared statement, no downsampling), ms | | ${wholeMs.toFixed(1)} |\n` +
        `| read ratio (downsampled / whole) | ${(readMs / wholeMs).toFixed(3)} | |\n` +
        `| runs query over ${RUNS.toLocaleString('en')} runs, filter + sort by metric, page of 200, ms | ${queryMs.toFixed(1)} | ${total} runs match \`${QUERY}\` |\n` +
        `| runs list over ${RUNS.toLocaleString('en')} runs, no filter, page of 200, ms | ${unfilteredMs.toFixed(1)} | |\n`,
    );
  } finally {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
