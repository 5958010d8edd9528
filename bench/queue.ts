/**
 * Queue throughput: 10,000 no-op jobs submitted and drained through the worker pool, against the same
 * workload through Debian's task-spooler (`tsp`), each with 2 jobs at once, in one run.
 *
 * Also takes the per-job cost apart: the SQLite writes of one job's life (submit, start, end, each a
 * transaction with its transition row), one IPC round trip to a warm worker, and a cold worker start
 * (what every job would pay with a process per job, measured with warm reuse turned off).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type CoreApp } from '../src/core/app';
import { forkLauncher, type WorkerLauncher } from '../src/core/workers';

const JOBS = Number(process.env.QUEUE_BENCH_JOBS ?? 10_000);
const COLD_JOBS = 100;
const SLOTS = 2;

interface Drained {
  seconds: number;
  submitSeconds: number;
  workers: number;
}

async function drain(n: number, idleMs: number | undefined): Promise<Drained> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-queue-'));
  let workers = 0;
  const launcher: WorkerLauncher = (o) => {
    workers++;
    return forkLauncher(o);
  };
  const core: CoreApp = await createApp({ dataDir: dir, maxConcurrent: SLOTS, launcher, workerIdleMs: idleMs, capacity: { cpuSlots: SLOTS } });
  let left = n;
  const done = new Promise<void>((resolve) => {
    core.events.on('job.updated', (j) => {
      if (j.status === 'completed' && --left === 0) resolve();
    });
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await core.api.jobs.create({ spec: { kind: 'noop', sleepMs: 0 }, priority: 'normal', resources: { gpus: 0, cpuSlots: 1, memoryMB: 1 }, retryPolicy: { maxAttempts: 1, backoffMs: 0 }, after: [] });
  }
  const submitSeconds = (performance.now() - t0) / 1000;
  await done;
  const seconds = (performance.now() - t0) / 1000;
  await core.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds, submitSeconds, workers };
}

function taskSpooler(n: number): { seconds: number; submitSeconds: number } | null {
  if (spawnSync('tsp', ['-h'], { stdio: 'ignore' }).error) return null;
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-tsp-'));
  const env = { ...process.env, TS_SOCKET: join(dir, 'socket'), TS_MAXFINISHED: String(n + 10), TMPDIR: dir };
  spawnSync('tsp', ['-S', String(SLOTS)], { env });
  // One shell submits every job (each `tsp` call is a client process, as each Trainyard submit is an API call).
  const script = `t0=$(date +%s.%N); for i in $(seq ${n}); do tsp -n true >/dev/null; done; t1=$(date +%s.%N); tsp -w >/dev/null 2>&1; while [ "$(tsp | grep -c -E 'running|queued')" != "0" ]; do sleep 0.05; done; t2=$(date +%s.%N); echo "$t0 $t1 $t2"`;
  const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  spawnSync('tsp', ['-K'], { env });
  rmSync(dir, { recursive: true, force: true });
  const [t0, t1, t2] = r.stdout.trim().split(/\s+/).map(Number);
  return { seconds: t2 - t0, submitSeconds: t1 - t0 };
}

const f = (x: number, d = 1) => x.toFixed(d);

export async function queue(): Promise<void> {
  const warm = await drain(JOBS, undefined);
  const cold = await drain(COLD_JOBS, 0);
  const tsp = taskSpooler(JOBS);
  const rows: string[][] = [
    ['Trainyard (warm workers)', String(JOBS), f(warm.seconds), f(JOBS / warm.seconds, 0), f((warm.seconds * 1000) / JOBS, 2), f((warm.submitSeconds * 1000) / JOBS, 2), String(warm.workers)],
    ['Trainyard (a process per job)', String(COLD_JOBS), f(cold.seconds), f(COLD_JOBS / cold.seconds, 0), f((cold.seconds * 1000) / COLD_JOBS, 2), f((cold.submitSeconds * 1000) / COLD_JOBS, 2), String(cold.workers)],
  ];
  if (tsp) rows.push(['task-spooler (tsp)', String(JOBS), f(tsp.seconds), f(JOBS / tsp.seconds, 0), f((tsp.seconds * 1000) / JOBS, 2), f((tsp.submitSeconds * 1000) / JOBS, 2), String(JOBS)]);
  process.stdout.write(`${SLOTS} jobs at once, no-op jobs (Trainyard: a worker call that returns at once; tsp: /bin/true)\n\n`);
  process.stdout.write(`| queue | jobs | total s | jobs/s | ms per job | submit ms per job | processes |\n|---|---|---|---|---|---|---|\n`);
  for (const r of rows) process.stdout.write(`| ${r.join(' | ')} |\n`);
  if (tsp) process.stdout.write(`\nRatio (Trainyard warm jobs/s ÷ tsp jobs/s): ${f(tsp.seconds / warm.seconds, 2)}\n`);
  else process.stdout.write('\ntask-spooler is not installed (apt-get install task-spooler): no ratio.\n');
  process.stdout.write(`Cold worker start, per job: ${f((cold.seconds * 1000) / COLD_JOBS - (warm.seconds * 1000) / JOBS, 1)} ms more than a warm one.\n`);
}
