/**
 * What running one command job means for the core: open a run, start the program in its own
 * process group pinned to the job's GPUs (on a cluster: the node does, see src/worker/node-command.ts), turn its output into log lines and metrics, and record how
 * it ended (exit code, signal, artifacts). The program is the user's: Trainyard only watches it.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec, Job } from '../../../shared/contract';
import {
  CommandOutput,
  GroupRecords,
  collectArtifacts,
  commandInvocation,
  commandName,
  epochsOf,
  followCommand,
  writeCommandCard,
  type CommandExit,
  type CommandInvocation,
} from '../../commands';
import { coreLog } from '../../log';
import { dataPaths } from '../../paths';
import { CANCELLED_MESSAGE, type RunningTask, type WorkerEvent } from '../../workers';
import { JobReporter } from '../reporter';
import { PlacementEnded, crashOf, type ExecutorDeps, type JobOutcome, type StartedJob } from './types';

/** Metric points buffered before the output is paused until they are written: bounded memory at any rate. */
const METRIC_BACKLOG = 20_000;

export { LOG_LINES_PER_START, MAX_LINE_BYTES } from '../../commands';

export async function startCommandJob(job: Job & { spec: CommandSpec }, deps: ExecutorDeps): Promise<StartedJob> {
  const { spec } = job;
  const name = commandName(spec);
  // As for training jobs: a job interrupted while it ran continues its open run; a retried crash gets a new one.
  const previous = job.runId ? await deps.tracking.get(job.runId).catch(() => null) : null;
  const continued = previous?.status === 'running' ? previous.id : null;
  const runId =
    continued ?? (await deps.tracking.startRun({ experiment: spec.experiment, jobId: job.id, model: 'command', datasetId: null, datasetSha256: null, params: spec.params }));
  if (job.runId && !continued) await deps.tracking.update(runId, { tags: { resumed_from: job.runId } });
  const reporter = new JobReporter(job.id, runId, { store: deps.store, bus: deps.bus, log: coreLog(deps.dataDir, 'queue.reporter') }, { continued: continued !== null });

  const artifactsDir = join(dataPaths(deps.dataDir).models, runId);
  mkdirSync(artifactsDir, { recursive: true, mode: 0o700 });
  const onEvent = (e: WorkerEvent) => reporter.onWorkerEvent(e);
  const placed = deps.placement.command;
  const { invocation, task, where } =
    job.cluster !== null && placed
      ? {
          ...placed({ graceMs: spec.graceMs, artifactsDir, invocation: (files) => commandInvocation(spec, spec.params, { ...files, jobId: job.id, runId }) }, epochsOf(spec.params), onEvent),
          where: `on cluster ${job.cluster}`,
        }
      : { ...startHere(job, runId, artifactsDir, deps, reporter), where: deps.env.CUDA_VISIBLE_DEVICES ? `on GPU ${deps.env.CUDA_VISIBLE_DEVICES}` : '' };
  const device = job.cluster !== null ? `cluster ${job.cluster}` : deps.env.CUDA_VISIBLE_DEVICES ? `GPU ${deps.env.CUDA_VISIBLE_DEVICES}` : 'cpu';
  reporter.log('info', `${continued ? `Continuing run ${runId}:` : 'Starting'} ${JSON.stringify(invocation.argv)} in ${invocation.cwd}${where ? ` ${where}` : ''}, attempt ${job.attempt}`);

  const outcome = task.result.then(async (exit): Promise<JobOutcome> => {
    const how = exitWords(exit);
    const status = exit.spawnError ? 'failed' : exit.stopped ? 'cancelled' : exit.code === 0 ? 'completed' : 'failed';
    if (deps.closing() && status !== 'completed') {
      reporter.log('warn', `Stopped with Trainyard (${how}); it runs again from the beginning when Trainyard starts again`);
      await reporter.flush();
      return { status: 'failed', error: `the command ${how}`, crash: { code: exit.code, signal: exit.signal, tail: exit.stderrTail } };
    }
    reporter.log(status === 'completed' ? 'info' : status === 'cancelled' ? 'warn' : 'error', `The command ${how}`);
    await reporter.flush();
    const metrics = (await deps.tracking.get(runId)).summary;
    if (status === 'completed') await writeCommandCard(artifactsDir, { name, argv: invocation.argv, cwd: invocation.cwd, params: spec.params, metrics, exitCode: exit.code });
    await deps.tracking.addArtifacts(runId, await collectArtifacts(artifactsDir));
    await deps.tracking.finishRun(runId, { status, backend: 'command', device });
    const exitInfo = { code: exit.code, signal: exit.signal };
    if (status === 'completed') return { status, exit: exitInfo };
    if (status === 'cancelled') return { status, exit: exitInfo };
    if (exit.spawnError) return { status: 'failed', error: spawnWords(exit.spawnError, invocation.argv[0], invocation.cwd) };
    return { status: 'failed', error: `the command ${how}${exit.stderrTail.length ? `: ${exit.stderrTail.slice(-3).join(' | ')}` : ''}`, crash: { code: exit.code, signal: exit.signal, tail: exit.stderrTail } };
  }, (err: unknown) => placementEnded(err, runId, deps, reporter));
  return { runId, task, outcome, log: (level, message) => reporter.log(level, message) };
}

/** The program on this machine: its own process group, pinned to the job's GPUs, its metrics file in the job's checkpoint folder. */
function startHere(job: Job & { spec: CommandSpec }, runId: string, artifactsDir: string, deps: ExecutorDeps, reporter: JobReporter): { invocation: CommandInvocation; task: RunningTask<CommandExit> } {
  const { spec } = job;
  const metricsFile = join(deps.checkpointDir, 'metrics.jsonl');
  const pruneFile = join(deps.checkpointDir, 'prune');
  mkdirSync(deps.checkpointDir, { recursive: true, mode: 0o700 });
  rmSync(metricsFile, { force: true });
  rmSync(pruneFile, { force: true });
  const invocation = commandInvocation(spec, spec.params, { artifactsDir, metricsFile, pruneFile, jobId: job.id, runId });
  let backlog = 0;
  const output = new CommandOutput((e) => reporter.onWorkerEvent(e), epochsOf(spec.params), (n) => {
    backlog += n;
    if (backlog < METRIC_BACKLOG) return;
    backlog = 0;
    command.proc.pause();
    void reporter.flush().finally(() => command.proc.resume());
  });
  const command = followCommand({
    jobId: job.id,
    ...invocation,
    // The GPU pinning last: a job's own env cannot take GPUs the scheduler did not give it.
    env: { ...process.env, ...invocation.env, ...deps.env },
    graceMs: spec.graceMs,
    metricsFile,
    pruneFile,
    records: new GroupRecords(dataPaths(deps.dataDir).commands),
    output,
    warn: (message) => reporter.log('warn', message),
  });
  // How the program ended, whatever it was: the executor's outcome says what that means for the job.
  return {
    invocation,
    task: { pid: command.proc.pid, result: command.exited, cancel: () => command.stop(), kill: () => command.proc.terminate() },
  };
}

/**
 * A command on a cluster that ended without the node's word on how the program ended: cancelled or
 * preempted on the cluster, killed by it (out of memory, its time limit), or followed no longer
 * because Trainyard stops (the run stays open: the job is taken up again at the next start).
 */
async function placementEnded(err: unknown, runId: string, deps: ExecutorDeps, reporter: JobReporter): Promise<JobOutcome> {
  const message = err instanceof Error ? err.message : String(err);
  if (deps.closing() || (err instanceof PlacementEnded && err.outcome.status === 'requeued')) {
    reporter.log('warn', message);
    await reporter.flush();
    return err instanceof PlacementEnded ? err.outcome : { status: 'failed', error: message, crash: crashOf(err) };
  }
  const cancelled = message === CANCELLED_MESSAGE || err instanceof PlacementEnded;
  if (!cancelled) reporter.log('error', message);
  await reporter.flush();
  await deps.tracking.finishRun(runId, { status: cancelled ? 'cancelled' : 'failed', backend: 'command' });
  if (err instanceof PlacementEnded) return err.outcome;
  return cancelled ? { status: 'cancelled' } : { status: 'failed', error: message, crash: crashOf(err) };
}

function exitWords(exit: CommandExit): string {
  if (exit.spawnError) return `could not start (${exit.spawnError.code ?? exit.spawnError.message})`;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return exit.stopped ? `${how} after it was asked to stop` : how;
}

function spawnWords(err: NodeJS.ErrnoException, program: string, cwd: string): string {
  if (err.code === 'ENOENT') return `Could not start ${JSON.stringify(program)}: no such program on the PATH, or the folder ${cwd} does not exist`;
  if (err.code === 'EACCES') return `Could not start ${JSON.stringify(program)}: permission denied (is it executable?)`;
  return `Could not start ${JSON.stringify(program)} in ${cwd}: ${err.message}`;
}
