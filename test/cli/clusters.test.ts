/**
 * `trainyard clusters` and `--cluster` as a script uses them: a real CLI process on a temp data
 * directory; the status, and a job run to its end with `jobs wait`, against the real Slurm here.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Cluster, ClusterStatus, Job } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { tempDirPerTest } from '../helpers/tmp';

const HAS_SLURM = spawnSync('sbatch', ['--version']).status === 0;
const tmp = tempDirPerTest();

describe('trainyard clusters', () => {
  it('adds, lists and removes a cluster target; refuses a duplicate, an unknown one and one in use', () => {
    const dir = tmp();
    const cli = trainyardCli(dir);
    const added = cli.json<Cluster>('clusters', 'add', 'hpc', '--slurm', '--partition', 'debug', '--account', 'lab42', '--max-in-flight', '8');
    expect(added).toMatchObject({ name: 'hpc', kind: 'slurm', partition: 'debug', account: 'lab42', maxInFlight: 8, workdir: `${dir}/clusters/hpc` });
    expect(cli.json<Cluster[]>('clusters', 'list').map((c) => c.name)).toEqual(['hpc']);

    const twice = cli.run('clusters', 'add', 'hpc', '--slurm');
    expect(twice.code).toBe(1);
    expect(twice.stderr).toBe('trainyard: A cluster named hpc exists already (trainyard clusters rm hpc first)\n');
    const relative = cli.run('clusters', 'add', 'other', '--slurm', '--workdir', 'shared/dir');
    expect(relative.stderr).toMatch(/^trainyard: --workdir must be an absolute path/);

    const job = cli.json<Job>('jobs', 'submit', '--noop', '100', '--cluster', 'hpc', '--time-limit', '5');
    expect(job).toMatchObject({ cluster: 'hpc', clusterJobId: null, resources: { timeLimitMinutes: 5 } });
    const unknown = cli.run('jobs', 'submit', '--noop', '100', '--cluster', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^trainyard: Cluster nope \(trainyard clusters list shows those added\) was not found\n$/);
    const inUse = cli.run('clusters', 'rm', 'hpc');
    expect(inUse.stderr).toBe('trainyard: Cluster hpc has 1 job(s) queued or running; cancel them or let them end first\n');

    cli.json('jobs', 'cancel', job.id);
    expect(cli.json<{ removed: string }>('clusters', 'rm', 'hpc')).toEqual({ removed: 'hpc' });
    expect(cli.json<Cluster[]>('clusters', 'list')).toEqual([]);
  }, 120_000);

  it.skipIf(!HAS_SLURM)(HAS_SLURM ? 'shows the cluster status and runs a job there to its end with jobs wait' : 'cluster status and jobs wait (skipped: sbatch is not installed on this machine)', () => {
    const dir = tmp();
    const cli = trainyardCli(dir);
    cli.json('clusters', 'add', 'local', '--slurm');
    const status = cli.json<ClusterStatus>('clusters', 'status', 'local');
    expect(status.partitions.map((p) => p.name)).toContain('debug');
    expect(status.nodes.map((n) => n.name)).toContain('localhost');
    const job = cli.json<Job>('jobs', 'submit', '--noop', '200', '--cluster', 'local', '--memory', '64');
    const waited = cli.run('jobs', 'wait', job.id);
    expect(waited.code, waited.stderr).toBe(0);
    const shown = cli.run('jobs', 'show', job.id);
    expect(shown.stdout).toMatch(/cluster local {2}Slurm job \d+/);
    expect(cli.json<Job>('jobs', 'show', job.id)).toMatchObject({ status: 'completed', cluster: 'local' });
  }, 120_000);
});
