/** `trainyard clusters`: the cluster targets jobs and studies run on with `--cluster NAME`. */
import type { Command } from 'commander';
import type { Cluster, ClusterStatus } from '../../shared/contract';
import { table, time } from '../format';
import { printJson, withSession } from './context';

function describeStatus(s: ClusterStatus): string {
  const parts = table(['partition', 'available', 'time limit'], s.partitions.map((p) => [`${p.name}${p.isDefault ? ' (default)' : ''}`, p.available, p.timeLimit]));
  const nodes = table(['node', 'partition', 'state', 'CPUs', 'memory MB', 'GRES'], s.nodes.map((n) => [n.name, n.partition, n.state, String(n.cpus ?? '-'), String(n.memoryMB ?? '-'), n.gres ?? '-']));
  const jobs = s.jobs.length
    ? table(['Slurm job', 'job', 'state', 'reason', 'elapsed', 'nodes'], s.jobs.map((j) => [j.clusterJobId, j.jobId ?? j.name, j.state, j.reason, j.elapsed, j.nodes]))
    : '(no jobs of this user)';
  return `cluster ${s.name} at ${time(s.ts)}\n\n${parts}\n\n${nodes}\n\n${jobs}`;
}

const describeCluster = (c: Cluster) => [c.name, c.kind, c.partition ?? '(default)', c.account ?? '(default)', String(c.maxInFlight), c.workdir];

export function registerClusterCommands(program: Command): void {
  const clusters = program.command('clusters').description('cluster targets that jobs and studies run on with --cluster NAME');

  clusters
    .command('add <name>')
    .description('add a Slurm cluster reached through its CLI (sbatch, squeue, sacct, scancel on this machine)')
    .requiredOption('--slurm', 'the cluster runs Slurm')
    .option('--partition <name>', 'submit to this partition (default: the cluster\'s default)')
    .option('--account <name>', 'charge jobs to this account')
    .option('--workdir <dir>', 'absolute folder the cluster\'s nodes share with this machine (default: <data dir>/clusters/<name>, for a cluster on this machine)')
    .option('--max-in-flight <n>', 'jobs submitted to the cluster at once', (v) => Number(v), 64)
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { partition?: string; account?: string; workdir?: string; maxInFlight: number; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const c = await s.api.clusters.add({
          name,
          kind: 'slurm',
          maxInFlight: opts.maxInFlight,
          ...(opts.partition ? { partition: opts.partition } : {}),
          ...(opts.account ? { account: opts.account } : {}),
          ...(opts.workdir ? { workdir: opts.workdir } : {}),
        });
        if (opts.json) return printJson(c);
        process.stdout.write(`Added Slurm cluster ${c.name} (workdir ${c.workdir}). Submit to it with --cluster ${c.name}.\n`);
      });
    });

  clusters
    .command('list')
    .description('list the cluster targets')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const all = await s.api.clusters.list({});
        if (opts.json) return printJson(all);
        process.stdout.write(all.length ? `${table(['name', 'kind', 'partition', 'account', 'in flight', 'workdir'], all.map(describeCluster))}\n` : 'No clusters (trainyard clusters add NAME --slurm).\n');
      });
    });

  clusters
    .command('rm <name>')
    .description('remove a cluster target with no queued or running jobs')
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const r = await s.api.clusters.remove({ name });
        if (opts.json) return printJson(r);
        process.stdout.write(`Removed cluster ${r.removed}.\n`);
      });
    });

  clusters
    .command('status <name>')
    .description("the cluster's partitions, nodes and their states, and this user's jobs")
    .option('--json', 'machine-readable output')
    .action(async (name: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const st = await s.api.clusters.status({ name });
        if (opts.json) return printJson(st);
        process.stdout.write(`${describeStatus(st)}\n`);
      });
    });
}
