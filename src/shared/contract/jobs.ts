/** Jobs: what the queue runs, what each needs, their progress, logs, lifecycle and the queue's state. */
import { z } from 'zod';
import { JobSpec } from './training';

/** The job kinds, as the queue's filters and limits name them. */
export const JobKindName = z.enum(['train', 'noop', 'command']);
import { ById, Empty, Id, JobStatus, LogLevel, Millis, Priority, method } from './vocabulary';

export const JobProgress = z.object({
  /** The pipeline step now running (load, preprocess, train, evaluate, register). */
  step: z.string().nullable(),
  /** 0..1 over the whole job. */
  fraction: z.number().min(0).max(1),
  /** Estimated time left, from the observed rate; null until there is a rate to go on. */
  etaMs: z.number().nullable(),
});
export type JobProgress = z.infer<typeof JobProgress>;

/** What a job needs while it runs. The scheduler starts it only when all of it is free. */
export const JobResources = z.object({
  gpus: z.number().int().min(0).max(64).default(0),
  cpuSlots: z.number().int().min(1).max(1024).default(1),
  memoryMB: z.number().int().min(1).max(16 * 1024 * 1024).default(512),
  /** Wall-clock limit on a cluster (`sbatch --time`); the cluster ends the job when it passes. */
  timeLimitMinutes: z.number().int().min(1).max(366 * 24 * 60).optional(),
});
export type JobResources = z.infer<typeof JobResources>;

/** Automatic retries of crashes (a worker that died, not a job that failed validation). */
export const RetryPolicy = z.object({
  /** Attempts in all, the first included: 1 means never retry automatically. */
  maxAttempts: z.number().int().min(1).max(100).default(1),
  /** Wait before the first retry; doubled for each further one. */
  backoffMs: z.number().int().min(0).max(24 * 3600 * 1000).default(5000),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const Job = z.object({
  id: Id,
  kind: JobKindName,
  status: JobStatus,
  priority: Priority,
  /**
   * The priority the scheduler uses now: the job's own, raised one level for each aging interval
   * it has waited (see core/queue/aging.ts). Equal to `priority` unless the job was boosted.
   */
  effectivePriority: Priority,
  spec: JobSpec,
  resources: JobResources,
  retryPolicy: RetryPolicy,
  /** Jobs that must complete before this one starts. */
  after: z.array(Id),
  /** GPU indices the job was pinned to (CUDA_VISIBLE_DEVICES) while it ran. */
  gpuIndices: z.array(z.number().int()),
  runId: Id.nullable(),
  progress: JobProgress,
  /** Expected run time before it starts, learned from finished jobs of the same kind and size. */
  estimateMs: z.number().nullable(),
  /** Why the job failed or was cancelled, in words a user can act on. */
  error: z.string().nullable(),
  attempt: z.number().int().min(1),
  retryOf: Id.nullable(),
  /** A queued job waiting for a retry backoff does not start before this time. */
  notBefore: Millis.nullable(),
  createdAt: Millis,
  startedAt: Millis.nullable(),
  finishedAt: Millis.nullable(),
  /**
   * Set (false) on a `running` job read while no Trainyard runs the data directory's jobs (a command
   * with no server): the core that ran it is gone, so it is interrupted, not running, and resumes when
   * Trainyard starts again. Absent otherwise.
   */
  ownerRunning: z.literal(false).optional(),
  /** The cluster target it runs on (`--cluster NAME`); null: this machine. */
  cluster: z.string().nullable().default(null),
  /** The cluster's own id for it (Slurm's job id) once submitted, and its last state there. */
  clusterJobId: z.string().nullable().default(null),
  clusterState: z.string().nullable().default(null),
});
export type Job = z.infer<typeof Job>;

export const LogLine = z.object({
  id: z.number().int(),
  jobId: Id,
  ts: Millis,
  level: LogLevel,
  message: z.string(),
});
export type LogLine = z.infer<typeof LogLine>;

/** One recorded change of a job's status, with who or what caused it. */
export const JobTransition = z.object({
  id: z.number().int(),
  jobId: Id,
  from: JobStatus.nullable(),
  to: JobStatus,
  ts: Millis,
  /** In words: "submitted", "cancelled by the user", "worker exited with code 3", "interrupted". */
  cause: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** The last log lines of a crash. */
  logTail: z.array(z.string()),
});
export type JobTransition = z.infer<typeof JobTransition>;

export const QueueState = z.object({
  /** Paused: running jobs finish, nothing new starts. */
  paused: z.boolean(),
  maxConcurrent: z.number().int(),
  running: z.number().int(),
  queued: z.number().int(),
  /** What the machine offers the scheduler, and what is taken now. */
  capacity: JobResources,
  inUse: JobResources,
  /** Minutes a queued job waits before it is raised one priority level. */
  agingMinutes: z.number(),
  /** Jobs of one kind running at once, where the user set a limit. */
  maxPerKind: z.record(z.string(), z.number().int()),
});
export type QueueState = z.infer<typeof QueueState>;

/** The limits a user sets; saved in the data directory, so they hold across restarts. */
export const QueueLimits = z
  .object({
    maxConcurrent: z.number().int().min(1).max(256).optional(),
    /** Per job kind; null removes a kind's limit. */
    maxPerKind: z.partialRecord(JobKindName, z.number().int().min(0).max(256).nullable()).optional(),
    /** 0 turns aging off. */
    agingMinutes: z.number().min(0).max(7 * 24 * 60).optional(),
  })
  .strict();
export type QueueLimits = z.infer<typeof QueueLimits>;

export const PriorityStats = z.object({
  priority: Priority,
  queued: z.number().int(),
  running: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  meanWaitMs: z.number().nullable(),
  meanRunMs: z.number().nullable(),
});
export const QueueStats = z.object({
  counts: z.record(JobStatus, z.number().int()),
  /** Mean time from submit to start, over jobs that started. */
  meanWaitMs: z.number().nullable(),
  /** Mean time from start to end, over jobs that ended. */
  meanRunMs: z.number().nullable(),
  /** Jobs ended in the last hour. */
  throughputPerHour: z.number(),
  perPriority: z.array(PriorityStats),
});
export type QueueStats = z.infer<typeof QueueStats>;

export const JobCreateInput = z
  .object({
    spec: JobSpec,
    priority: Priority.default('normal'),
    resources: JobResources.default({ gpus: 0, cpuSlots: 1, memoryMB: 512 }),
    retryPolicy: RetryPolicy.default({ maxAttempts: 1, backoffMs: 5000 }),
    after: z.array(Id).max(100).default([]),
    /** Run it on this cluster target (see `clusters.add`) instead of this machine. */
    cluster: z.string().min(1).max(64).optional(),
  })
  .strict();
export type JobCreateInput = z.input<typeof JobCreateInput>;

export const jobsMethods = {
  create: method(JobCreateInput, Job),
  list: method(
    z
      .object({
        status: JobStatus.optional(),
        priority: Priority.optional(),
        kind: JobKindName.optional(),
        limit: z.number().int().min(1).max(20000).default(500),
      })
      .strict()
      .default({ limit: 500 }),
    z.array(Job),
  ),
  get: method(ById, Job),
  cancel: method(ById, Job),
  retry: method(ById, Job),
  setPriority: method(z.object({ id: Id, priority: Priority }).strict(), Job),
  transitions: method(ById, z.array(JobTransition)),
  logs: method(
    z
      .object({
        id: Id,
        /** Only lines after this log id: the way a follower catches up. */
        afterId: z.number().int().default(0),
        limit: z.number().int().min(1).max(10000).default(1000),
      })
      .strict(),
    z.array(LogLine),
  ),
};

export const queueMethods = {
  state: method(Empty, QueueState),
  pause: method(Empty, QueueState),
  resume: method(Empty, QueueState),
  stats: method(Empty, QueueStats),
  /** Changes the concurrency limits and the aging interval; answers the new state. */
  configure: method(QueueLimits, QueueState),
};
