/**
 * Long-series reads, in one run on one SQLite file in a temp data directory: a 1,000,000-point
 * series (written interleaved with a second one, as training writes loss and val_loss, through the
 * tracking API so its summaries are kept) read
 *  - whole, with a raw prepared statement on the main thread: the reference every ratio divides by;
 *  - as the 1,000-point view a chart asks for, and as zoomed windows of it (10% and 1% of the steps);
 *  - whole through the series thread (columns, and the CSV export), with the core's event-loop delay
 *    (p99 and max, monitorEventLoopDelay) measured during the read, against the raw read on the main
 *    thread (how a whole read ran before).
 * And the metric ingest ratio (API / raw inserts), which the summaries must not push below 0.75.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/core/store';
import { MAIN_THREAD_ROWS, Tracking } from '../src/core/tracking';
import { measured } from './import-lag';
import { BATCH, INGEST_POINTS, measureIngest, points, timeMs } from './tracking';

const LONG_SERIES = 1_000_000;
const VIEW = 1000;

const f = (x: number, d = 1) => x.toFixed(d);

export async function series(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-series-'));
  const store = openStore(join(dir, 'trainyard.db'));
  const api = new Tracking(store);
  try {
    const newRun = () => api.startRun({ experiment: 'bench', jobId: null, model: 'mlp', datasetId: null, datasetSha256: null, params: {} });
    const long = await newRun();
    // Written in chunks of 50,000 points (25,000 steps): the heap never holds the whole series, whose
    // collection would otherwise show up as a stall in the lag figures below.
    for (let step = 0; step < LONG_SERIES; step += 25_000) {
      const chunk = points(long, 50_000, ['loss', 'val_loss']).map((p) => ({ ...p, step: p.step + step }));
      await api.recordMetrics(chunk);
    }

    const whole = store.raw.prepare("SELECT step, ts, value FROM metrics WHERE run_id = ? AND key = 'loss' ORDER BY step, ts").raw();
    const wholeMs = await timeMs(async () => whole.all(long), 3);
    const view = async (window: { from?: number; to?: number }) => {
      let got = 0;
      const ms = await timeMs(async () => {
        const [s] = await api.metrics(long, ['loss'], VIEW, window);
        got = s.points.length;
      }, 5);
      return { ms, got };
    };
    const full = await view({});
    const tenth = await view({ from: 400_000, to: 499_999 });
    const hundredth = await view({ from: 450_000, to: 459_999 });

    // Event-loop delay: the whole series through the thread (columns; the CSV export), then on the main thread.
    await api.seriesColumns(long, 'loss'); // the thread starts and warms up outside the measurement
    let threadedPoints = 0;
    const threaded = await measured(async () => {
      threadedPoints = (await api.seriesColumns(long, 'loss')).step.length;
    });
    let csvBytes = 0;
    const exported = await measured(async () => {
      csvBytes = (await api.exportSeries(long, 'loss')).text.length;
    });
    const viewLag = await measured(async () => {
      for (let i = 0; i < 5; i++) await api.metrics(long, ['loss'], VIEW);
    });
    const onMain = await measured(async () => whole.all(long));
    // The floor: the same monitor over a second of nothing (the garbage collector and other work on the machine).
    const idle = await measured(() => new Promise((r) => setTimeout(r, 1000)));

    const { apiRate, rawRate, cpuRatio } = await measureIngest(store, api, newRun);

    process.stdout.write(
      `a ${LONG_SERIES.toLocaleString('en')}-point series (with a second one interleaved); reads median of 5 (whole: of 3) after a warm-up; series reads over ${MAIN_THREAD_ROWS.toLocaleString('en')} rows go to the series thread\n\n` +
        '| read | ms | points | ratio to the raw whole read (goal <= 0.02) |\n| --- | --- | --- | --- |\n' +
        `| raw whole read (prepared statement, main thread) | ${f(wholeMs)} | ${LONG_SERIES} | 1 |\n` +
        `| ${VIEW}-point view of the whole series | ${f(full.ms)} | ${full.got} | ${f(full.ms / wholeMs, 4)} |\n` +
        `| zoomed window, 10% of the steps (400,000-499,999) | ${f(tenth.ms)} | ${tenth.got} | ${f(tenth.ms / wholeMs, 4)} |\n` +
        `| zoomed window, 1% of the steps (450,000-459,999) | ${f(hundredth.ms)} | ${hundredth.got} | ${f(hundredth.ms / wholeMs, 4)} |\n\n` +
        '| during | s | loop delay p99 ms | loop delay max ms |\n| --- | --- | --- | --- |\n' +
        `| the whole series through the series thread (${threadedPoints} points as columns) | ${f(threaded.seconds, 2)} | ${f(threaded.p99Ms)} | ${f(threaded.maxMs)} |\n` +
        `| the series exported as CSV in the series thread (${(csvBytes / 2 ** 20).toFixed(1)} MiB) | ${f(exported.seconds, 2)} | ${f(exported.p99Ms)} | ${f(exported.maxMs)} |\n` +
        `| five ${VIEW}-point views (main thread, bounded) | ${f(viewLag.seconds, 2)} | ${f(viewLag.p99Ms)} | ${f(viewLag.maxMs)} |\n` +
        `| the raw whole read on the main thread (before) | ${f(onMain.seconds, 2)} | ${f(onMain.p99Ms)} | ${f(onMain.maxMs)} |\n` +
        `| nothing (a second idle: the floor) | ${f(idle.seconds, 2)} | ${f(idle.p99Ms)} | ${f(idle.maxMs)} |\n\n` +
        `| ingest | points/s |\n| --- | --- |\n` +
        `| tracking API, batches of ${BATCH} (points, latest-point summary and buckets) | ${f(apiRate, 0)} |\n` +
        `| raw prepared inserts, one transaction | ${f(rawRate, 0)} |\n` +
        `| ingest ratio (API / raw; goal >= 0.75), ${INGEST_POINTS} points a round, median of 5 | ${f(apiRate / rawRate, 3)} |\n` +
        `| the same ratio by CPU time of the process (raw / API), less swayed by other work on the machine | ${f(cpuRatio, 3)} |\n`,
    );
  } finally {
    await api.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
