/**
 * Jobs on the real Slurm running on this machine (partition `debug`, started by
 * ../shared/infra/slurm-up.sh): submitted with sbatch, followed through squeue and the events file,
 * cancelled with scancel, ended by Slurm, re-attached after a SIGKILL of the core, and a study's
 * trials run on the cluster in parallel. Nothing of Slurm is mocked; without sbatch the file skips.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/contract';
import { tempDirPerTest } from '../helpers/tmp';
import { coresPerTest, isAlive, noop, startCoreProcess, until, type Harness } from './queue/harness';
import { importCo2, smallTrain, studyInput, waitForStudy } from './studies/helpers';

const HAS_SLURM = spawnSync('sbatch', ['--version']).status === 0;
const CORE = fileURLToPath(new URL('../fixtures/slurm-core-process.ts', import.meta.url));
const JOBCOMP = '/var/log/slurm/jobcomp.log';
const tmp = tempDirPerTest();
const startCore = coresPerTest();

async function withCluster(opts: Parameters<typeof startCore>[0] = {}): Promise<Harness> {
  const h = await startCore({ cancelGraceMs: 1000, ...opts });
  await h.api.clusters.add({ name: 'local', maxInFlight: 16 });
  return h;
}

const onCluster = (sleepMs: number, extra: Record<string, unknown> = {}) => noop(sleepMs, { cluster: 'local', resources: { gpus: 0, cpuSlots: 1, memoryMB: 64 }, ...extra });

/** Resolves once the node process has started (it logs that first), so it hears signals. */
async function startedOnNode(h: Harness, id: string): Promise<Job> {
  for (;;) {
    const logs = await h.api.jobs.logs({ id });
    if (logs.some((l) => l.message.startsWith('Started on node'))) return h.api.jobs.get({ id });
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** How many times Slurm ran a job of this name, from its completion log (jobcomp/filetxt). */
const completions = (jobName: string) => readFileSync(JOBCOMP, 'utf8').split('\n').filter((l) => l.includes(` Name=${jobName} `)).length;

/**
 * Expects Slurm to have run the job of this name exactly once. Trainyard settles a job on its result
 * line, which can come before slurmctld writes the job's completion record (the job still
 * COMPLETING), so the record is waited for, then counted.
 */
async function expectRanOnce(jobName: string): Promise<void> {
  await expect.poll(() => completions(jobName), { timeout: 30_000 }).toBeGreaterThan(0);
  expect(completions(jobName)).toBe(1);
}

describe.skipIf(!HAS_SLURM)(HAS_SLURM ? 'jobs on Slurm' : 'jobs on Slurm (skipped: sbatch is not installed on this machine)', () => {
  it('runs a training job on the cluster, streaming its per-epoch metrics and logs into its run', async () => {
    const h = await withCluster();
    const datasetId = await importCo2(h.api);
    const streamed: string[] = [];
    h.core.events.on('run.metric', (m) => streamed.push(m.key));
    const job = await h.api.jobs.create({ spec: smallTrain(datasetId, 3), cluster: 'local' });
    expect(job).toMatchObject({ cluster: 'local', status: 'queued' });
    const done = await h.waitFor(job.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe('completed');
    expect(done.clusterJobId).toMatch(/^\d+$/);
    // The epochs came through the events file as they ran, and the final metrics with the result.
    expect(streamed.filter((k) => k === 'val_loss').length).toBeGreaterThanOrEqual(3);
    const run = await h.api.runs.get({ id: done.runId! });
    expect(run.status).toBe('completed');
    expect(Object.keys(run.summary)).toEqual(expect.arrayContaining(['val_loss', 'test.mae']));
    const logs = (await h.api.jobs.logs({ id: job.id })).map((l) => l.message);
    expect(logs.some((m) => m.startsWith('Started on node'))).toBe(true);
    // The model came home to the data directory: its artifacts are there, not on the workdir.
    expect(run.artifacts.length).toBeGreaterThan(0);
    for (const a of run.artifacts) expect(a.path.startsWith(h.dir)).toBe(true);
    await expectRanOnce(`trainyard-${job.id}`);
  }, 180_000);

  it('cancels a job that ignores SIGTERM: SIGTERM first, then scancel ends it after the grace', async () => {
    const h = await withCluster();
    process.env.TRAINYARD_NODE_IGNORE_SIGTERM = '1'; // sbatch hands the submitter's environment to the job
    let job: Job;
    try {
      job = await h.api.jobs.create(onCluster(120_000));
      await startedOnNode(h, job.id);
    } finally {
      delete process.env.TRAINYARD_NODE_IGNORE_SIGTERM;
    }
    await h.api.jobs.cancel({ id: job.id });
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.error).toBe('Cancelled by the user');
    const logs = (await h.api.jobs.logs({ id: job.id })).map((l) => l.message);
    expect(logs.some((m) => m.includes('SIGTERM received and ignored'))).toBe(true);
    const state = execFileSync('squeue', ['-h', '-t', 'all', '-j', done.clusterJobId!, '-o', '%T'], { encoding: 'utf8' }).trim();
    expect(state).toBe('CANCELLED');
  }, 120_000);

  it('records a job cancelled outside Trainyard (scancel) as cancelled there, with the cause', async () => {
    const h = await withCluster();
    const job = await h.api.jobs.create(onCluster(120_000));
    const running = await startedOnNode(h, job.id);
    execFileSync('scancel', [running.clusterJobId!]);
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.error).toMatch(new RegExp(`Cancelled on the cluster, outside Trainyard \\(Slurm job ${running.clusterJobId} on cluster local`));
  }, 120_000);

  it('fails a job that Slurm ends at its time limit, saying so', async () => {
    const h = await withCluster();
    const job = await h.api.jobs.create(onCluster(300_000, { resources: { gpus: 0, cpuSlots: 1, memoryMB: 64, timeLimitMinutes: 1 } }));
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/hit its time limit of 1 min and was ended by Slurm \(TIMEOUT\)/);
  }, 240_000);

  it('re-attaches to its Slurm jobs after a SIGKILL of the core: they complete, each submitted once', async () => {
    const dir = tmp();
    const first = await startCoreProcess<{ ids: string[]; clusterJobIds: string[] }>(CORE, { DATA_DIR: dir, JOBS: '3', SLEEP_MS: '4000' });
    process.kill(first.pid, 'SIGKILL');
    await until(() => !isAlive(first.pid));
    const h = await startCore({ dataDir: dir, cancelGraceMs: 1000 });
    const done = await h.drain(first.ids);
    expect(done.map((j) => j.status)).toEqual(['completed', 'completed', 'completed']);
    expect(done.map((j) => j.clusterJobId)).toEqual(first.clusterJobIds);
    for (const id of first.ids) {
      const timeline = await h.api.jobs.transitions({ id });
      expect(timeline.map((t) => t.to)).toEqual(['queued', 'running', 'completed']);
      await expectRanOnce(`trainyard-${id}`);
    }
  }, 180_000);

  it('leaves its Slurm jobs running through a clean stop, and takes them up again at the next start', async () => {
    const dir = tmp();
    const first = await withCluster({ dataDir: dir });
    const job = await first.api.jobs.create(onCluster(4000));
    const running = await startedOnNode(first, job.id);
    await first.close();
    expect(execFileSync('squeue', ['-h', '-t', 'all', '-j', running.clusterJobId!, '-o', '%T'], { encoding: 'utf8' }).trim()).toMatch(/RUNNING|COMPLETING|COMPLETED/);
    const second = await startCore({ dataDir: dir, cancelGraceMs: 1000 });
    const done = await second.waitFor(job.id);
    expect(done).toMatchObject({ status: 'completed', clusterJobId: running.clusterJobId });
    expect((await second.api.jobs.transitions({ id: job.id })).map((t) => t.to)).toEqual(['queued', 'running', 'completed']);
    // The node's first line was recorded before the stop, and is not recorded again.
    const logs = (await second.api.jobs.logs({ id: job.id })).map((l) => l.message);
    expect(logs.filter((m) => m.startsWith('Started on node'))).toHaveLength(1);
    await expectRanOnce(`trainyard-${job.id}`);
  }, 120_000);

  it('runs a study of 4 trials on the cluster, all 4 in flight at once', async () => {
    const h = await withCluster({ maxConcurrent: 1 });
    const datasetId = await importCo2(h.api);
    let inFlight = 0;
    let most = 0;
    const seen = new Set<string>();
    h.core.events.on('job.updated', (j) => {
      if (j.cluster !== 'local') return;
      if (j.status === 'running' && !seen.has(j.id)) {
        seen.add(j.id);
        most = Math.max(most, ++inFlight);
      } else if (['completed', 'failed', 'cancelled'].includes(j.status) && seen.delete(j.id)) inFlight--;
    });
    const study = await h.api.studies.create({ ...studyInput(datasetId, { spec: { budget: { trials: 4 }, parallelism: 4 } }), cluster: 'local' });
    expect(study.cluster).toBe('local');
    const end = await waitForStudy(h.api, study.id);
    expect(end.status).toBe('completed');
    expect(end.counts.completed).toBe(4);
    // One local slot, yet four trials in flight: cluster jobs take no slot here.
    expect(most).toBe(4);
    const { trials } = await h.api.studies.trials({ id: study.id });
    const jobs = await Promise.all(trials.map((t) => h.api.jobs.get({ id: t.jobId! })));
    expect(new Set(jobs.map((j) => j.clusterJobId)).size).toBe(4);
  }, 300_000);
});
