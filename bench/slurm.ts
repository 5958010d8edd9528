/**
 * Jobs on Slurm: 200 no-op jobs through Trainyard's Slurm executor against the same 200 through plain
 * `sbatch --wrap true`, on the same cluster, all submitted at once, timed from the first submit to the
 * last end. Trainyard's jobs each run its node process (`trainyard.mjs slurm-node`), which reads the
 * job's task and writes its events file; the difference per job is Trainyard's overhead, and the
 * node process's own start (measured alone, outside Slurm) says how much of it that is.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/core/app';
import { slurmPayload } from '../src/core/clusters';
import { taskFileOf } from '../src/core/workers';
import type { Job } from '../src/shared/contract';

const JOBS = Number(process.env.SLURM_BENCH_JOBS ?? 200);
const f = (x: number, d = 1) => x.toFixed(d);

async function throughTrainyard(n: number): Promise<{ seconds: number; submitSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-slurm-'));
  const core = await createApp({ dataDir: dir });
  await core.api.clusters.add({ name: 'bench', kind: 'slurm', maxInFlight: n });
  let left = n;
  const failed: string[] = [];
  const done = new Promise<void>((resolve) => {
    core.events.on('job.updated', (j) => {
      if (!['completed', 'failed', 'cancelled'].includes(j.status)) return;
      if (j.status !== 'completed') failed.push(`${j.id}: ${j.error}`);
      if (--left === 0) resolve();
    });
  });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    await core.api.jobs.create({ spec: { kind: 'noop', sleepMs: 0 }, priority: 'normal', resources: { gpus: 0, cpuSlots: 1, memoryMB: 64 }, retryPolicy: { maxAttempts: 1, backoffMs: 0 }, after: [], cluster: 'bench' });
  }
  const submitSeconds = (performance.now() - t0) / 1000;
  await done;
  const seconds = (performance.now() - t0) / 1000;
  await core.close();
  rmSync(dir, { recursive: true, force: true });
  if (failed.length) throw new Error(`${failed.length} bench jobs did not complete, e.g. ${failed[0]}`);
  return { seconds, submitSeconds };
}

/** The same jobs as a person would submit them: sbatch --wrap, then squeue until none is left. */
async function throughSbatch(n: number): Promise<{ seconds: number; submitSeconds: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-sbatch-'));
  const t0 = performance.now();
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(execFileSync('sbatch', ['--parsable', '--job-name=bench-wrap', `--output=${dir}/%j.out`, '--cpus-per-task=1', '--mem=64M', '--wrap', 'true'], { encoding: 'utf8' }).trim());
  }
  const submitSeconds = (performance.now() - t0) / 1000;
  for (;;) {
    const states = execFileSync('squeue', ['-h', '-t', 'all', '-j', ids.join(','), '-o', '%T'], { encoding: 'utf8' }).split('\n').filter(Boolean);
    if (states.length === n && states.every((s) => !['PENDING', 'CONFIGURING', 'RUNNING', 'COMPLETING'].includes(s))) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const seconds = (performance.now() - t0) / 1000;
  rmSync(dir, { recursive: true, force: true });
  return { seconds, submitSeconds };
}

/** Trainyard's node process for one no-op job, started by hand: what every job pays on its node before its work. */
function nodeStartMs(runs = 5): number {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-node-'));
  const job = { id: 'bench', spec: { kind: 'noop', sleepMs: 0 } } as Job;
  const payload = slurmPayload(job, dir);
  mkdirSync(dir, { recursive: true });
  writeFileSync(taskFileOf(dir), JSON.stringify({ kind: 'noop', task: { jobId: 'bench', sleepMs: 0 } }));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    const r = spawnSync(payload.argv[0], payload.argv.slice(1), { cwd: payload.cwd, env: { ...process.env, ...payload.env } });
    if (r.status !== 0) throw new Error(`The node process failed: ${r.stderr.toString()}`);
    times.push(performance.now() - t);
  }
  rmSync(dir, { recursive: true, force: true });
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)];
}

export async function slurm(): Promise<void> {
  if (spawnSync('sbatch', ['--version'], { stdio: 'ignore' }).status !== 0) {
    process.stdout.write('sbatch is not installed here (start ../shared/infra/slurm-up.sh): no Slurm benchmark.\n');
    return;
  }
  const cpus = execFileSync('sinfo', ['-h', '-o', '%C'], { encoding: 'utf8' }).trim();
  const wrap = await throughSbatch(JOBS);
  const ty = await throughTrainyard(JOBS);
  const node = nodeStartMs();
  process.stdout.write(`${JOBS} no-op jobs on the local Slurm (CPUs allocated/idle/other/total ${cpus}), 1 CPU each, all submitted at once\n\n`);
  process.stdout.write('| path | jobs | total s | jobs/s | ms per job | submit ms per job |\n|---|---|---|---|---|---|\n');
  for (const [name, r] of [['Trainyard Slurm executor (node process per job)', ty], ['plain sbatch --wrap true + squeue', wrap]] as const) {
    process.stdout.write(`| ${name} | ${JOBS} | ${f(r.seconds)} | ${f(JOBS / r.seconds, 2)} | ${f((r.seconds * 1000) / JOBS, 0)} | ${f((r.submitSeconds * 1000) / JOBS, 1)} |\n`);
  }
  process.stdout.write(`\nRatio (Trainyard jobs/s ÷ sbatch --wrap jobs/s): ${f(wrap.seconds / ty.seconds, 2)}\n`);
  process.stdout.write(`Trainyard's overhead per job: ${f(((ty.seconds - wrap.seconds) * 1000) / JOBS, 0)} ms of wall time over plain sbatch; its node process alone starts and ends in ${f(node, 0)} ms (median of 5, outside Slurm).\n`);
}
