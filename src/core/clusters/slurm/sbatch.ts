/**
 * What Trainyard asks of sbatch for one job: the batch script (which execs the job's payload) and
 * the options that map the job's resources onto Slurm's (`--gres=gpu:N`, `--cpus-per-task`,
 * `--mem`, `--time`), with the job's id in its name so `squeue` and the cluster's admins can tell it.
 */
import type { Cluster, Job } from '../../../shared/contract';

/** What runs on the node for one job: a program, its environment and its folder. */
export interface SlurmPayload {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

export const slurmJobName = (jobId: string) => `trainyard-${jobId}`;
const NAME_PREFIX = 'trainyard-';
export const jobIdOfName = (name: string): string | null => (name.startsWith(NAME_PREFIX) ? name.slice(NAME_PREFIX.length) : null);

export function sbatchArgs(job: Pick<Job, 'id' | 'resources'>, cluster: Pick<Cluster, 'partition' | 'account'>, payload: SlurmPayload, script: string): string[] {
  const r = job.resources;
  return [
    '--parsable',
    `--job-name=${slurmJobName(job.id)}`,
    `--output=${payload.cwd}/slurm-%j.out`,
    `--chdir=${payload.cwd}`,
    '--nodes=1',
    '--ntasks=1',
    `--cpus-per-task=${r.cpuSlots}`,
    `--mem=${r.memoryMB}M`,
    ...(r.gpus > 0 ? [`--gres=gpu:${r.gpus}`] : []),
    ...(r.timeLimitMinutes ? [`--time=${r.timeLimitMinutes}`] : []),
    ...(cluster.partition ? [`--partition=${cluster.partition}`] : []),
    ...(cluster.account ? [`--account=${cluster.account}`] : []),
    // A preempted job comes back to Trainyard's queue, which resubmits it; Slurm does not requeue it on its own.
    '--no-requeue',
    script,
  ];
}

/** The batch script: the payload's environment, then `exec` of its program, so Slurm's signals reach it directly. */
export function batchScript(payload: SlurmPayload): string {
  const env = Object.entries(payload.env).map(([k, v]) => `export ${k}=${shellQuote(v)}`);
  return ['#!/bin/sh', ...env, `cd ${shellQuote(payload.cwd)} || exit 1`, `exec ${payload.argv.map(shellQuote).join(' ')}`, ''].join('\n');
}

export const shellQuote = (s: string): string => (/^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
