/**
 * One job on Slurm as the executors see any running task: submitted with sbatch (or found again
 * after a restart), followed by tailing its events file and by the poller, cancelled with scancel,
 * and settled with its result or with its end in Slurm's words.
 *
 * Cancel honours the grace period: SIGTERM to the job's processes (`scancel --signal=TERM --full`,
 * which leaves the job running), then, if it has not ended after the grace, `scancel`, which sends
 * SIGTERM again and SIGKILL after the cluster's KillWait.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Cluster, Job } from '../../../shared/contract';
import type { CoreLog } from '../../log';
import { PlacementEnded } from '../../queue';
import { CANCELLED_MESSAGE, WorkerExit, type RunningTask, type WorkerEvent } from '../../workers';
import { slurm } from './cli';
import { eventsFileOf, outputFileOf, scriptFileOf, taskFileOf, type NodeLine, type NodeTask } from './job-files';
import { slurmPayload } from './payload';
import type { SlurmPoller, SlurmSighting } from './poller';
import { batchScript, sbatchArgs } from './sbatch';
import { outcomeOfEnd } from './states';
import { JsonLinesTail } from './tail';

/** How often the events file is read while the job runs. */
const TAIL_MS = 250;
const TAIL_LINES = 20;

export interface SlurmTaskDeps {
  cluster: Cluster;
  poller: SlurmPoller;
  /** Milliseconds between SIGTERM and the scancel that ends the job. */
  graceMs: number;
  log: CoreLog;
  /** The job's Slurm id, written to its row before anything else happens to it. */
  onSubmitted(clusterJobId: string): Promise<void>;
  onState(state: string): void;
}

export interface SlurmTaskSpec<R> {
  job: Job;
  jobDir: string;
  /** Stages what the node reads (the dataset) and says what it runs; not called on re-attach. */
  prepare(): Promise<NodeTask>;
  onEvent(e: WorkerEvent): void;
  /** Re-attach to this Slurm job instead of submitting; log lines at or before `logsUpTo` were recorded already. */
  attach: { clusterJobId: string; logsUpTo: number } | null;
  /** Turns the node's result into the task's (copies a model home). */
  finish(raw: unknown): Promise<R>;
}

export function startSlurmTask<R>(spec: SlurmTaskSpec<R>, deps: SlurmTaskDeps): RunningTask<R> {
  let clusterJobId: string | null = spec.attach?.clusterJobId ?? null;
  let cancelled = false;
  let detached = false;
  let escalation: NodeJS.Timeout | null = null;
  let tailTimer: NodeJS.Timeout | null = null;
  let nodeError: string | null = null;
  let settle: { resolve: (r: R) => void; reject: (e: unknown) => void } | null = null;
  let tail: JsonLinesTail<NodeLine> | null = null;
  /** The node's result being taken in (its model copied home), once a read has found it. */
  let finishing: Promise<void> | null = null;
  const where = () => `Slurm job ${clusterJobId} on cluster ${deps.cluster.name}`;

  const stopFollowing = () => {
    if (tailTimer) clearInterval(tailTimer);
    if (escalation) clearTimeout(escalation);
    tailTimer = escalation = null;
    if (clusterJobId) deps.poller.unwatch(clusterJobId);
  };
  const end = (how: { ok: R } | { err: unknown }) => {
    const s = settle;
    if (!s) return;
    settle = null;
    stopFollowing();
    if ('ok' in how) s.resolve(how.ok);
    else s.reject(how.err);
  };

  /** Feeds new lines to the executor, and settles the task on the node's result. */
  const readTail = async (): Promise<void> => {
    if (!tail) return;
    for (const line of await tail.read()) {
      if (line.type === 'result') {
        deps.poller.kick();
        // A result that cannot be taken in (its model not copied home) fails the job, saying why.
        finishing = spec.finish(line.result).then(
          (ok) => end({ ok }),
          (err: unknown) => end({ err }),
        );
        await finishing;
        return;
      }
      if (line.type === 'error') nodeError = line.message;
      else if (line.type === 'log' && spec.attach && line.ts <= spec.attach.logsUpTo) continue;
      else spec.onEvent(line);
    }
  };

  const onSighting = (s: SlurmSighting) => {
    deps.onState(s.state);
    if (!s.end) return;
    const endState = s.end;
    // The last lines the node wrote before it ended decide first: its result, or its own error.
    void readTail()
      .then(async () => {
        // The result was found, by this read or the timer's, and is being taken in: that decides,
        // not the end state (a COMPLETED job would otherwise count as one without a result).
        if (finishing) return finishing;
        if (!settle) return;
        if (cancelled) return end({ err: new Error(CANCELLED_MESSAGE) });
        const outTail = await lastLines(outputFileOf(spec.jobDir, clusterJobId ?? ''));
        if (nodeError && endState.state.startsWith('FAILED')) return end({ err: new Error(nodeError) });
        const outcome = outcomeOfEnd(endState, {
          clusterJobId: clusterJobId ?? '?',
          cluster: deps.cluster.name,
          memoryMB: spec.job.resources.memoryMB,
          timeLimitMinutes: spec.job.resources.timeLimitMinutes,
          tail: outTail,
        });
        if (outcome.status === 'cancelled' || outcome.status === 'requeued') return end({ err: new PlacementEnded(outcome) });
        if (outcome.status === 'failed') {
          return end({ err: outcome.crash ? new WorkerExit(outcome.error, outcome.crash.code, outcome.crash.signal, outcome.crash.tail) : new Error(outcome.error) });
        }
      })
      .catch((err: unknown) => end({ err }));
  };

  const follow = (id: string) => {
    tail = new JsonLinesTail<NodeLine>(eventsFileOf(spec.jobDir, id), (line) =>
      deps.log('warn', 'A line of a Slurm job events file is not JSON; skipped', { jobId: spec.job.id, clusterJobId: id, line: line.slice(0, 200) }),
    );
    tailTimer = setInterval(() => {
      void readTail().catch((err: unknown) => deps.log('warn', 'The events file of a Slurm job could not be read; retrying', { jobId: spec.job.id, clusterJobId: id, error: err }));
    }, TAIL_MS);
    deps.poller.watch(id, onSighting);
  };

  const signal = (args: string[]) =>
    slurm('scancel', [...args, clusterJobId ?? '']).catch((err: unknown) => deps.log('warn', `scancel of ${where()} failed`, { jobId: spec.job.id, error: err }));

  const requestStop = () => {
    if (!clusterJobId || !settle) return;
    void signal(['--signal=TERM', '--full']);
    escalation = setTimeout(() => void signal([]), deps.graceMs);
    escalation.unref();
  };

  const result = new Promise<R>((resolve, reject) => {
    settle = { resolve, reject };
  });

  void (async () => {
    if (spec.attach) return follow(spec.attach.clusterJobId);
    await mkdir(spec.jobDir, { recursive: true });
    await writeFile(taskFileOf(spec.jobDir), JSON.stringify(await spec.prepare()));
    const payload = slurmPayload(spec.job, spec.jobDir);
    const script = scriptFileOf(spec.jobDir);
    await writeFile(script, batchScript(payload), { mode: 0o700 });
    const out = await slurm('sbatch', sbatchArgs(spec.job, deps.cluster, payload, script));
    const id = out.trim().split(';')[0];
    if (!/^\d+(_\d+)?$/.test(id)) throw new Error(`sbatch answered ${JSON.stringify(out.trim())}, not a job id`);
    clusterJobId = id;
    await deps.onSubmitted(id);
    if (detached) return;
    follow(id);
    if (cancelled) requestStop();
  })().catch((err: unknown) => {
    if (settle) return end({ err });
    deps.log('error', 'A Slurm job was submitted while Trainyard stopped following it', { jobId: spec.job.id, clusterJobId, error: err });
  });

  return {
    pid: undefined,
    result,
    cancel() {
      if (cancelled) return;
      cancelled = true;
      requestStop();
    },
    kill() {
      // Trainyard stops: the job goes on on the cluster and is taken up again at the next start.
      detached = true;
      end({ err: new Error(`Trainyard stopped following ${where()}; it goes on and is taken up again at the next start`) });
    },
  };
}

async function lastLines(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l.trim()).slice(-TAIL_LINES);
}
