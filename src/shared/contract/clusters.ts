/**
 * Cluster targets: somewhere other than this machine that jobs can run, today a Slurm cluster
 * reached through its CLI (sbatch, squeue, sacct, scancel, sinfo), with a folder its nodes share
 * with this machine for each job's spec, data and output.
 */
import { z } from 'zod';
import { method } from './vocabulary';

/** A cluster's name as the user types it in `--cluster NAME`. */
export const ClusterName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a cluster name is letters, digits, dot, dash and underscore');

export const Cluster = z.object({
  name: ClusterName,
  kind: z.literal('slurm'),
  /** `--partition` for every job; null: the cluster's default partition. */
  partition: z.string().nullable(),
  /** `--account` for every job; null: the user's default account. */
  account: z.string().nullable(),
  /** Absolute folder on a filesystem the cluster's nodes share with this machine. */
  workdir: z.string(),
  /** Jobs Trainyard keeps submitted to this cluster at once; the cluster's own scheduler decides the rest. */
  maxInFlight: z.number().int().min(1),
  createdAt: z.number().int(),
});
export type Cluster = z.infer<typeof Cluster>;

export const ClusterAddInput = z
  .object({
    name: ClusterName,
    kind: z.literal('slurm').default('slurm'),
    partition: z.string().min(1).max(200).optional(),
    account: z.string().min(1).max(200).optional(),
    /** Default: `<data dir>/clusters/<name>`, which only a single-machine cluster shares. */
    workdir: z.string().min(1).max(4096).optional(),
    maxInFlight: z.number().int().min(1).max(10000).default(64),
  })
  .strict();
export type ClusterAddInput = z.input<typeof ClusterAddInput>;

export const ClusterPartition = z.object({
  name: z.string(),
  /** up, down, drain, inact */
  available: z.string(),
  timeLimit: z.string(),
  isDefault: z.boolean(),
});

export const ClusterNode = z.object({
  name: z.string(),
  partition: z.string(),
  /** idle, mixed, allocated, down, drained... as sinfo says it */
  state: z.string(),
  cpus: z.number().int().nullable(),
  memoryMB: z.number().int().nullable(),
  gres: z.string().nullable(),
});

export const ClusterJob = z.object({
  clusterJobId: z.string(),
  name: z.string(),
  partition: z.string(),
  state: z.string(),
  /** Why it waits, or how it ended (Resources, Priority, NonZeroExitCode...) */
  reason: z.string(),
  elapsed: z.string(),
  nodes: z.string(),
  /** The Trainyard job it runs, when its name says so (`trainyard-<jobId>`). */
  jobId: z.string().nullable(),
});

export const ClusterStatus = z.object({
  name: ClusterName,
  /** When it was read. */
  ts: z.number().int(),
  partitions: z.array(ClusterPartition),
  nodes: z.array(ClusterNode),
  /** This user's jobs on the cluster, Trainyard's and others. */
  jobs: z.array(ClusterJob),
});
export type ClusterStatus = z.infer<typeof ClusterStatus>;

const ByName = z.object({ name: ClusterName }).strict();

export const clustersMethods = {
  add: method(ClusterAddInput, Cluster),
  list: method(z.object({}).strict().default({}), z.array(Cluster)),
  remove: method(ByName, z.object({ removed: ClusterName })),
  status: method(ByName, ClusterStatus),
};
