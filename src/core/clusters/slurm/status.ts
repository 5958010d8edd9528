/** What the Monitor shows of a Slurm cluster: partitions, nodes and their states (sinfo), and this user's jobs (squeue). */
import { userInfo } from 'node:os';
import type { Cluster, ClusterStatus } from '../../../shared/contract';
import { rows, slurm } from './cli';
import { jobIdOfName } from './sbatch';

const int = (s: string): number | null => (/^\d+$/.test(s) ? Number(s) : null);

export async function slurmStatus(cluster: Cluster): Promise<ClusterStatus> {
  const only = cluster.partition ? ['-p', cluster.partition] : [];
  const [parts, nodes, jobs] = await Promise.all([
    slurm('sinfo', ['-h', ...only, '-o', '%P|%a|%l']),
    slurm('sinfo', ['-h', '-N', ...only, '-o', '%N|%P|%T|%c|%m|%G']),
    slurm('squeue', ['-h', '-t', 'all', '-u', userInfo().username, ...only, '-O', 'JobID:|,Name:|,Partition:|,State:|,Reason:|,TimeUsed:|,NodeList:|']),
  ]);
  return {
    name: cluster.name,
    ts: Date.now(),
    partitions: rows(parts).map(([name, available, timeLimit]) => ({ name: name.replace(/\*$/, ''), available, timeLimit, isDefault: name.endsWith('*') })),
    nodes: rows(nodes).map(([name, partition, state, cpus, mem, gres]) => ({
      name,
      partition: partition.replace(/\*$/, ''),
      state,
      cpus: int(cpus),
      memoryMB: int(mem),
      gres: gres && gres !== '(null)' ? gres : null,
    })),
    jobs: rows(jobs).map(([clusterJobId, name, partition, state, reason, elapsed, nodeList]) => ({
      clusterJobId,
      name,
      partition,
      state,
      reason,
      elapsed,
      nodes: nodeList,
      jobId: jobIdOfName(name),
    })),
  };
}

/** The Slurm job Trainyard submitted for a job, found by its name (a core killed right after sbatch answered). */
export async function findSubmitted(jobName: string): Promise<string | null> {
  const listed = rows(await slurm('squeue', ['-h', '-t', 'all', '-n', jobName, '-O', 'JobID:|'])).map((r) => r[0]);
  const ended = listed.length ? [] : rows(await slurm('sacct', ['-c', '-n', '-P', `--name=${jobName}`, '-o', 'JobID'])).map((r) => r[0]);
  const ids = [...listed, ...ended].filter((id) => /^\d+$/.test(id)).sort((a, b) => Number(a) - Number(b));
  return ids.at(-1) ?? null;
}
