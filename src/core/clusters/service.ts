/**
 * Cluster targets: their rows, a cache the scheduler reads without a query, and the placement of a
 * job on one (a Slurm job submitted, or re-attached after a restart). One poller follows every
 * Slurm job in flight.
 */
import { copyFile, cp, mkdir, rename, stat } from 'node:fs/promises';
import { extname, isAbsolute, join, resolve } from 'node:path';
import type { Cluster, ClusterAddInput, ClusterStatus, Job } from '../../shared/contract';
import { Conflict, InvalidInput, NotFound } from '../../shared/errors';
import type { EventBus } from '../events';
import type { CoreLog } from '../log';
import type { ClusterPlacements, Placement } from '../queue';
import { JobRepository, type Store } from '../store';
import type { CommandExit } from '../commands';
import type { TrainResult, TrainTask } from '../workers';
import { ClusterRepository } from './repository';
import { datasetsDirOf, jobDirOf } from './slurm/job-files';
import { SlurmPoller } from './slurm/poller';
import { slurmJobName } from './slurm/sbatch';
import { findSubmitted, slurmStatus } from './slurm/status';
import { startSlurmTask, type SlurmTaskDeps } from './slurm/task';

export interface ClusterServiceDeps {
  store: Store;
  bus: EventBus;
  dataDir: string;
  /** Milliseconds between a cancel's SIGTERM and the scancel that ends the job. */
  graceMs: number;
  log: CoreLog;
}

export class ClusterService implements ClusterPlacements {
  private readonly repo: ClusterRepository;
  private readonly jobs: JobRepository;
  private readonly cache = new Map<string, Cluster>();
  readonly poller: SlurmPoller;

  constructor(private readonly deps: ClusterServiceDeps) {
    this.repo = new ClusterRepository(deps.store.db);
    this.jobs = new JobRepository(deps.store.db);
    this.poller = new SlurmPoller(deps.log);
  }

  async load(): Promise<void> {
    this.cache.clear();
    for (const c of await this.repo.list()) this.cache.set(c.name, c);
  }

  async add(input: ClusterAddInput & { maxInFlight: number }): Promise<Cluster> {
    if (this.cache.has(input.name)) throw new Conflict(`A cluster named ${input.name} exists already (trainyard clusters rm ${input.name} first)`);
    if (input.workdir !== undefined && !isAbsolute(input.workdir)) throw new InvalidInput(`--workdir must be an absolute path on a filesystem the cluster's nodes share, not ${JSON.stringify(input.workdir)}`, 'workdir');
    const workdir = resolve(input.workdir ?? join(this.deps.dataDir, 'clusters', input.name));
    await mkdir(workdir, { recursive: true }).catch((err: unknown) => {
      throw new InvalidInput(`The workdir ${workdir} cannot be created: ${(err as Error).message}`, 'workdir');
    });
    const cluster: Cluster = { name: input.name, kind: 'slurm', partition: input.partition ?? null, account: input.account ?? null, workdir, maxInFlight: input.maxInFlight, createdAt: Date.now() };
    await this.repo.insert(cluster);
    this.cache.set(cluster.name, cluster);
    return cluster;
  }

  list(): Cluster[] {
    return [...this.cache.values()];
  }

  async remove(name: string): Promise<void> {
    await this.check(name);
    const n = await this.repo.unfinishedJobs(name);
    if (n > 0) throw new Conflict(`Cluster ${name} has ${n} job(s) queued or running; cancel them or let them end first`);
    await this.repo.remove(name);
    this.cache.delete(name);
  }

  async status(name: string): Promise<ClusterStatus> {
    return slurmStatus(this.get(name));
  }

  async check(name: string): Promise<void> {
    this.get(name);
  }

  limitOf(name: string): number {
    return this.cache.get(name)?.maxInFlight ?? 0;
  }

  private get(name: string): Cluster {
    const c = this.cache.get(name);
    if (!c) throw new NotFound('Cluster', `${name} (trainyard clusters list shows those added)`);
    return c;
  }

  async placement(job: Job, how: { attach: boolean }): Promise<Placement | null> {
    const cluster = this.get(job.cluster ?? '');
    const jobDir = jobDirOf(cluster.workdir, job.id);
    let attach: { clusterJobId: string; logsUpTo: number } | null = null;
    if (how.attach) {
      // A core killed between sbatch's answer and its write finds the job by its name.
      const id = job.clusterJobId ?? (await findSubmitted(slurmJobName(job.id)));
      if (!id) return null;
      if (!job.clusterJobId) await this.recordSubmitted(job.id, id);
      attach = { clusterJobId: id, logsUpTo: await this.repo.lastLogTs(job.id) };
      this.deps.log('info', 'Re-attached to a Slurm job after a restart', { jobId: job.id, cluster: cluster.name, clusterJobId: id });
    }
    const taskDeps: SlurmTaskDeps = {
      cluster,
      poller: this.poller,
      graceMs: this.deps.graceMs,
      log: this.deps.log,
      onSubmitted: (id) => this.recordSubmitted(job.id, id),
      onState: (state) => this.recordState(job.id, state),
    };
    return {
      train: (task, onEvent) =>
        startSlurmTask<TrainResult>(
          {
            job,
            jobDir,
            attach,
            onEvent,
            prepare: async () => ({
              kind: 'train',
              task: { ...task, datasetPath: await this.stage(cluster, task), modelDir: join(jobDir, 'model'), checkpointDir: join(jobDir, 'checkpoints') },
            }),
            finish: (raw) => bringModelHome(raw as TrainResult, join(jobDir, 'model'), task.modelDir),
          },
          taskDeps,
        ),
      noop: (task, onEvent) => startSlurmTask({ job, jobDir, attach, onEvent, prepare: async () => ({ kind: 'noop', task }), finish: async (raw) => raw }, taskDeps),
      command: (cmd, epochs, onEvent) => {
        const files = { artifactsDir: join(jobDir, 'artifacts'), metricsFile: join(jobDir, 'metrics.jsonl'), pruneFile: join(jobDir, 'prune') };
        const invocation = cmd.invocation(files);
        const task = startSlurmTask<CommandExit>(
          {
            job,
            jobDir,
            attach,
            onEvent,
            prepare: async () => {
              await mkdir(files.artifactsDir, { recursive: true, mode: 0o700 });
              return { kind: 'command', task: { jobId: job.id, ...invocation, graceMs: cmd.graceMs, metricsFile: files.metricsFile, pruneFile: files.pruneFile, epochs } };
            },
            finish: async (raw) => {
              // What the program wrote on the workdir, copied into the run's folder before the run is recorded.
              await cp(files.artifactsDir, cmd.artifactsDir, { recursive: true });
              return raw as CommandExit;
            },
          },
          taskDeps,
        );
        return { invocation, task };
      },
    };
  }

  /** The dataset, copied once per content onto the shared workdir, where the nodes read it. */
  private async stage(cluster: Cluster, task: TrainTask): Promise<string> {
    const dir = datasetsDirOf(cluster.workdir);
    const target = join(dir, `${task.datasetSha256}${extname(task.datasetPath)}`);
    if (await stat(target).then(() => true, () => false)) return target;
    await mkdir(dir, { recursive: true });
    const partial = `${target}.${task.jobId}.partial`;
    await copyFile(task.datasetPath, partial);
    await rename(partial, target);
    return target;
  }

  private async recordSubmitted(jobId: string, clusterJobId: string): Promise<void> {
    const job = await this.jobs.update(jobId, { cluster_job_id: clusterJobId, cluster_state: 'PENDING' }, 'running');
    if (job) this.deps.bus.emit('job.updated', job);
  }

  private recordState(jobId: string, state: string): void {
    void this.jobs
      .update(jobId, { cluster_state: state }, 'running')
      .then((job) => job && this.deps.bus.emit('job.updated', job))
      .catch((err: unknown) => this.deps.log('warn', "A Slurm job's state could not be recorded", { jobId, state, error: err }));
  }

  close(): void {
    this.poller.stop();
  }
}

/** The model the node wrote on the workdir, copied into the data directory, its artifacts pointing there. */
async function bringModelHome(result: TrainResult, from: string, to: string): Promise<TrainResult> {
  await cp(from, to, { recursive: true });
  return { ...result, artifacts: result.artifacts.map((a) => (a.path.startsWith(from) ? { ...a, path: to + a.path.slice(from.length) } : a)) };
}
