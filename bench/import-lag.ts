/**
 * Event-loop lag during a 200 MB CSV import: the core's loop delay (p99 and max, from
 * monitorEventLoopDelay) and the process's peak RSS while `datasets.import` runs, against the same
 * parse done on the main thread (how imports ran before they moved to a worker thread). Peer: the
 * same file read by pandas.read_csv in /usr/bin/python3, where Debian's python3-pandas is installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { largeCsv } from '../test/helpers/large-csv';
import { createApp } from '../src/core/app';
import { analyzeTable, readTable } from '../src/core/data';

const MB = Number(process.env.IMPORT_BENCH_MB ?? 200);

export interface Lag {
  seconds: number;
  p99Ms: number;
  maxMs: number;
  peakRssMB: number;
}

/** Runs `work` with the loop delay monitored; the peak RSS is the process's high-water mark (it only grows). */
export async function measured(work: () => Promise<unknown>): Promise<Lag> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  // The monitor starts measuring at the next turn of the loop; work begun in this turn would go unseen.
  await new Promise((r) => setTimeout(r, 50));
  const t0 = performance.now();
  await work();
  const seconds = (performance.now() - t0) / 1000;
  // Likewise a stall is recorded when the loop next turns: let it turn once more after the work.
  await new Promise((r) => setTimeout(r, 50));
  h.disable();
  return { seconds, p99Ms: h.percentile(99) / 1e6, maxMs: h.max / 1e6, peakRssMB: process.resourceUsage().maxRSS / 1024 };
}

function pandas(path: string): { seconds: number; peakRssMB: number } | null {
  const script = `import resource, time, pandas\nt = time.time()\npandas.read_csv(${JSON.stringify(path)})\nprint(time.time() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [seconds, rss] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds, peakRssMB: rss };
}

const f = (x: number, d = 1) => x.toFixed(d);

export async function importLag(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-import-'));
  try {
    const file = join(dir, 'large.csv');
    const rows = await largeCsv(file, MB);
    const size = statSync(file).size / 2 ** 20;
    const baseRss = process.resourceUsage().maxRSS / 1024;
    const core = await createApp({ dataDir: join(dir, 'data') });
    const threaded = await measured(() => core.api.datasets.import({ source: { kind: 'path', path: file } }));
    await core.close();
    // The main-thread parse runs second: the RSS high-water mark only grows, so its peak is read from the first run alone.
    const main = await measured(async () => analyzeTable(await readTable(readFileSync(file), file)));
    const peer = pandas(file);

    process.stdout.write(`${f(size)} MiB CSV, ${rows} rows x 4 columns (time, 3 numbers); RSS before the import ${f(baseRss, 0)} MB\n\n`);
    process.stdout.write('| import | s | loop delay p99 ms | loop delay max ms | peak RSS MB |\n|---|---|---|---|---|\n');
    process.stdout.write(`| Trainyard datasets.import (worker thread) | ${f(threaded.seconds)} | ${f(threaded.p99Ms)} | ${f(threaded.maxMs)} | ${f(threaded.peakRssMB, 0)} |\n`);
    process.stdout.write(`| the same parse on the main thread (before) | ${f(main.seconds)} | ${f(main.p99Ms)} | ${f(main.maxMs)} | (not separable) |\n`);
    if (peer) process.stdout.write(`| pandas.read_csv | ${f(peer.seconds)} | - | - | ${f(peer.peakRssMB, 0)} |\n`);
    else process.stdout.write('\nNo peer: /usr/bin/python3 has no pandas (apt-get install python3-pandas).\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
