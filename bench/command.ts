/**
 * Command jobs: the per-job overhead of running a program through Trainyard's queue against
 * task-spooler (`tsp`) running the same program, 2 at once, in one run; and how many metric lines
 * per second Trainyard ingests from a script that prints nothing else.
 *
 * Overhead per job is the drain time divided by the jobs, for a program that does nothing
 * (/bin/true): what is left is the queue's own cost (a run recorded, the process group spawned and
 * watched, its end written) against tsp's (a fork and an output file).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/core/app';

const JOBS = Number(process.env.COMMAND_BENCH_JOBS ?? 300);
const METRIC_LINES = Number(process.env.COMMAND_BENCH_METRICS ?? 200_000);
const SLOTS = 2;
const PYTHON = '/usr/bin/python3';

async function withCore<T>(fn: (core: Awaited<ReturnType<typeof createApp>>) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-command-'));
  const core = await createApp({ dataDir: dir, maxConcurrent: SLOTS, capacity: { cpuSlots: SLOTS }, systemSampleMs: 0 });
  try {
    return await fn(core);
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const create = (core: Awaited<ReturnType<typeof createApp>>, argv: string[]) =>
  core.api.jobs.create({ spec: { kind: 'command', argv, cwd: tmpdir(), env: {}, params: {}, experiment: 'bench', graceMs: 10_000 }, priority: 'normal', resources: { gpus: 0, cpuSlots: 1, memoryMB: 1 }, retryPolicy: { maxAttempts: 1, backoffMs: 0 }, after: [] });

/** Seconds from the first submit to the last job's end, for `n` jobs of `argv`. */
async function trainyardDrain(n: number, argv: string[]): Promise<number> {
  return withCore(async (core) => {
    let left = n;
    const done = new Promise<void>((resolve, reject) => {
      core.events.on('job.updated', (j) => {
        if (j.status === 'failed') reject(new Error(`a bench job failed: ${j.error}`));
        if (j.status === 'completed' && --left === 0) resolve();
      });
    });
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await create(core, argv);
    await done;
    return (performance.now() - t0) / 1000;
  });
}

function taskSpoolerDrain(n: number, command: string): number | null {
  if (spawnSync('tsp', ['-h'], { stdio: 'ignore' }).error) return null;
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-tsp-'));
  const env = { ...process.env, TS_SOCKET: join(dir, 'socket'), TS_MAXFINISHED: String(n + 10), TMPDIR: dir };
  spawnSync('tsp', ['-S', String(SLOTS)], { env });
  // tsp keeps each job's output in a file, as Trainyard keeps it in the job log.
  const script = `t0=$(date +%s.%N); for i in $(seq ${n}); do tsp ${command} >/dev/null; done; while [ "$(tsp | grep -c -E 'running|queued')" != "0" ]; do sleep 0.02; done; t1=$(date +%s.%N); echo "$t0 $t1"`;
  const r = spawnSync('bash', ['-c', script], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  spawnSync('tsp', ['-K'], { env });
  rmSync(dir, { recursive: true, force: true });
  const [t0, t1] = r.stdout.trim().split(/\s+/).map(Number);
  return t1 - t0;
}

/** Metric points per second from the job's start to its end, for a script printing METRIC_LINES lines of 3 metrics. */
async function metricIngest(): Promise<{ lines: number; seconds: number; scriptSeconds: number }> {
  const script = `import sys\nw = sys.stdout.write\nfor i in range(${METRIC_LINES}):\n    w('TRAINYARD_METRIC {"step": %d, "loss": %f, "acc": %f, "lr": 0.01}\\n' % (i, 1.0 / (i + 1), i / ${METRIC_LINES}))\n`;
  const alone = performance.now();
  spawnSync(PYTHON, ['-c', script], { stdio: ['ignore', 'ignore', 'inherit'] });
  const scriptSeconds = (performance.now() - alone) / 1000;
  return withCore(async (core) => {
    const job = await create(core, [PYTHON, '-c', script]);
    const end = await new Promise<{ startedAt: number; finishedAt: number; runId: string }>((resolve, reject) => {
      core.events.on('job.updated', (j) => {
        if (j.id !== job.id) return;
        if (j.status === 'failed') reject(new Error(`the metric job failed: ${j.error}`));
        if (j.status === 'completed') resolve({ startedAt: j.startedAt!, finishedAt: j.finishedAt!, runId: j.runId! });
      });
    });
    const [loss] = await core.api.runs.metrics({ id: end.runId, keys: ['loss'], maxPoints: 10 });
    if (loss.total !== METRIC_LINES) throw new Error(`ingested ${loss.total} of ${METRIC_LINES} metric lines`);
    return { lines: METRIC_LINES, seconds: (end.finishedAt - end.startedAt) / 1000, scriptSeconds };
  });
}

const f = (x: number, d = 1) => x.toFixed(d);

export async function command(): Promise<void> {
  const ty = await trainyardDrain(JOBS, ['/bin/true']);
  const tsp = taskSpoolerDrain(JOBS, '/bin/true');
  process.stdout.write(`${JOBS} command jobs of /bin/true, ${SLOTS} at once\n\n| queue | total s | ms per job |\n|---|---|---|\n`);
  process.stdout.write(`| Trainyard command jobs | ${f(ty, 2)} | ${f((ty * 1000) / JOBS, 2)} |\n`);
  if (tsp !== null) {
    process.stdout.write(`| task-spooler (tsp) | ${f(tsp, 2)} | ${f((tsp * 1000) / JOBS, 2)} |\n`);
    process.stdout.write(`\nPer-job overhead ratio (Trainyard ms per job ÷ tsp ms per job): ${f(ty / tsp, 2)}\n`);
  } else {
    process.stdout.write('\ntask-spooler (tsp) is not installed: no ratio (apt install task-spooler)\n');
  }
  const m = await metricIngest();
  process.stdout.write(
    `\nMetric ingestion: ${m.lines} lines of 3 metrics each from one script in ${f(m.seconds, 2)} s (the script alone, printing to /dev/null: ${f(m.scriptSeconds, 2)} s)\n` +
      `| metric lines/s ingested | metric points/s | script alone, lines/s |\n|---|---|---|\n| ${f(m.lines / m.seconds, 0)} | ${f((3 * m.lines) / m.seconds, 0)} | ${f(m.lines / m.scriptSeconds, 0)} |\n`,
  );
}
