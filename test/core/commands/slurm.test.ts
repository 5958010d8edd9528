/**
 * Command jobs on the real Slurm running on this machine (partition `debug`, started by
 * ../shared/infra/slurm-up.sh): `trainyard run --cluster` runs the program on the node, its metrics
 * land in the run, its artifact comes home into the run's folder; a cancel ends it cancelled.
 * Nothing of Slurm is mocked; without sbatch the file skips.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job, Run } from '../../../src/shared/contract';
import { trainyardCli } from '../../helpers/cli';
import { tempDirPerTest } from '../../helpers/tmp';
import { coresPerTest } from '../queue/harness';
import { FIXTURES, PYTHON, command } from './helpers';

const HAS_SLURM = spawnSync('sbatch', ['--version']).status === 0;
const SCRIPT = join(FIXTURES, 'on-cluster.py');
const tmp = tempDirPerTest();
const startCore = coresPerTest();

describe.skipIf(!HAS_SLURM)(HAS_SLURM ? 'command jobs on Slurm' : 'command jobs on Slurm (skipped: sbatch is not installed on this machine)', () => {
  it('trainyard run --cluster runs the program on Slurm: its metrics in the run, its artifact copied home, its exit recorded', () => {
    const dir = tmp();
    const cli = trainyardCli(dir);
    cli.json('clusters', 'add', 'local', '--slurm');
    // --json before the `--`: what follows it is the program's argv.
    const r = cli.run('run', '--cluster', 'local', '--memory', '64', '--param', 'lr=0.1', '--wait', '--json', '--', PYTHON, SCRIPT);
    expect(r.code, r.stderr).toBe(0);
    const job = JSON.parse(r.stdout) as Job;
    expect(job.status, job.error ?? '').toBe('completed');
    expect(job.cluster).toBe('local');
    expect(job.clusterJobId).toMatch(/^\d+$/);

    const run = cli.json<Run>('runs', 'show', job.runId!);
    expect(run).toMatchObject({ status: 'completed', model: 'command', params: { lr: 0.1 } });
    const loss = cli.json<{ points: { step: number; value: number }[] }>('runs', 'series', run.id, 'loss').points;
    expect(loss.map((p) => [p.step, p.value])).toEqual([[0, 1], [1, 0.5], [2, 1 / 3]]);
    expect(run.summary.accuracy).toBe(0.75); // from TRAINYARD_METRICS_FILE
    // The artifact the program wrote on the workdir is in the run's folder of the data directory.
    const weights = run.artifacts.find((a) => a.path.endsWith(join('weights', 'w.txt')));
    expect(weights?.path.startsWith(join(dir, 'models')), JSON.stringify(run.artifacts)).toBe(true);
    expect(readFileSync(weights!.path, 'utf8')).toBe('0.5\n');
    expect(run.artifacts.some((a) => a.path.endsWith('card.json'))).toBe(true);

    const shown = cli.json<{ logs: { message: string }[]; transitions: { to: string; exitCode?: number | null }[] }>('jobs', 'show', job.id);
    expect(shown.transitions.at(-1)).toMatchObject({ to: 'completed', exitCode: 0 });
    const logs = shown.logs.map((l) => l.message);
    expect(logs.some((m) => m.startsWith('Started on node'))).toBe(true);
    expect(logs.some((m) => m.startsWith('running on ') && m.includes('{"lr":0.1}'))).toBe(true);
    expect(logs).toContain('done');
    expect(logs.join('\n')).not.toContain('TRAINYARD_METRIC'); // metric lines become metrics, not log lines
    expect(logs).toContain('The command exited with code 0');
  }, 180_000);

  it('a cancel of a command job on Slurm asks it to stop (the prune file, then SIGTERM) and ends it cancelled', async () => {
    const h = await startCore({ cancelGraceMs: 5000 });
    await h.api.clusters.add({ name: 'local', maxInFlight: 4 });
    const job = await h.api.jobs.create(command({ argv: [PYTHON, SCRIPT, 'wait'], graceMs: 5000 }, { cluster: 'local' }));
    const messages = async () => (await h.api.jobs.logs({ id: job.id })).map((l) => l.message);
    while (!(await messages()).includes('ready')) await new Promise((r) => setTimeout(r, 100));
    await h.api.jobs.cancel({ id: job.id });
    const done = await h.waitFor(job.id);
    expect(done.status).toBe('cancelled');
    expect(done.error).toBe('Cancelled by the user');
    const logs = await messages();
    // Slurm's SIGTERM may reach the program before it sees the prune file: either way it was asked.
    expect(logs.some((m) => m === 'prune file seen; stopping' || m.startsWith('SIGTERM received'))).toBe(true);
    expect(logs.some((m) => m.startsWith('The command exited with code 0 after it was asked to stop'))).toBe(true);
    const run = await h.api.runs.get({ id: done.runId! });
    expect(run.status).toBe('cancelled');
    expect((await h.api.jobs.transitions({ id: job.id })).at(-1)).toMatchObject({ to: 'cancelled', exitCode: 0 });
  }, 180_000);

  it('a command job on Slurm goes on through a clean stop of Trainyard and is taken up again at the next start', async () => {
    const dir = tmp();
    const first = await startCore({ dataDir: dir, cancelGraceMs: 1000 });
    await first.api.clusters.add({ name: 'local', maxInFlight: 4 });
    const job = await first.api.jobs.create(command({ argv: [PYTHON, SCRIPT, 'sleep', '3'] }, { cluster: 'local' }));
    while (!(await first.api.jobs.logs({ id: job.id })).some((l) => l.message === 'ready')) await new Promise((r) => setTimeout(r, 100));
    const running = await first.api.jobs.get({ id: job.id });
    await first.close();
    const second = await startCore({ dataDir: dir, cancelGraceMs: 1000 });
    const done = await second.waitFor(job.id);
    expect(done, done.error ?? '').toMatchObject({ status: 'completed', clusterJobId: running.clusterJobId, runId: running.runId });
    expect((await second.api.jobs.transitions({ id: job.id })).map((t) => t.to)).toEqual(['queued', 'running', 'completed']);
    const run = await second.api.runs.get({ id: done.runId! });
    expect(run.status).toBe('completed');
    const [loss] = await second.api.runs.metrics({ id: run.id, keys: ['loss'] });
    expect(loss.points.map((p) => p.step)).toEqual([0, 1, 2]); // read again from the events file, recorded once
    expect(run.artifacts.some((a) => a.path.endsWith(join('weights', 'w.txt')))).toBe(true);
    // The lines recorded before the stop are not recorded again.
    const logs = (await second.api.jobs.logs({ id: job.id })).map((l) => l.message);
    expect(logs.filter((m) => m === 'ready')).toHaveLength(1);
    expect(logs).toContain('done');
  }, 180_000);

  it('a command that fails on Slurm fails its job with the exit code and its last stderr lines; one that cannot start says why', async () => {
    const h = await startCore({ cancelGraceMs: 1000 });
    await h.api.clusters.add({ name: 'local', maxInFlight: 4 });
    const crash = await h.api.jobs.create(command({ argv: [PYTHON, '-c', 'import sys; print("bad input", file=sys.stderr); sys.exit(3)'] }, { cluster: 'local' }));
    const missing = await h.api.jobs.create(command({ argv: ['/nonexistent/train'] }, { cluster: 'local' }));
    const [crashed, unstarted] = await h.drain([crash.id, missing.id]);
    expect(crashed).toMatchObject({ status: 'failed', cluster: 'local', clusterJobId: expect.stringMatching(/^\d+$/) });
    expect(crashed.error).toBe('the command exited with code 3: bad input');
    expect((await h.api.jobs.transitions({ id: crash.id })).at(-1)).toMatchObject({ to: 'failed' });
    expect((await h.api.runs.get({ id: crashed.runId! })).status).toBe('failed');
    expect(unstarted.status).toBe('failed');
    expect(unstarted.error).toMatch(/^Could not start "\/nonexistent\/train": no such program/);
  }, 180_000);
});
