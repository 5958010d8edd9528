/**
 * What running one command job means for the core: open a run, start the program in its own
 * process group pinned to the job's GPUs, turn its output into log lines and metrics, and record how
 * it ended (exit code, signal, artifacts). The program is the user's: Trainyard only watches it.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandSpec, Job } from '../../../shared/contract';
import {
  CommandProcess,
  GroupRecords,
  LogBudget,
  MetricsFileTail,
  collectArtifacts,
  commandInvocation,
  commandName,
  metricLineBody,
  parseMetricObject,
  writeCommandCard,
  type CommandExit,
} from '../../commands';
import { coreLog } from '../../log';
import { dataPaths } from '../../paths';
import type { RunningTask } from '../../workers';
import { JobReporter } from '../reporter';
import type { ExecutorDeps, JobOutcome, StartedJob } from './types';

/** A longer output line keeps its first MAX_LINE_BYTES and says how long it was. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Output lines kept in the job log per second, and per start of the job. */
export const LOG_LINES_PER_SECOND = 2000;
export const LOG_LINES_PER_START = 100_000;
/** Metric points buffered before the output is paused until they are written: bounded memory at any rate. */
const METRIC_BACKLOG = 20_000;
/** After a stop is asked (the prune file written), how long a program has to see it before SIGTERM. */
export const STOP_ASK_MS = 1000;
/** Bad metric lines said in the log, per start; the rest are only counted. */
const BAD_LINES_SAID = 5;

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
  const metricsFile = join(deps.checkpointDir, 'metrics.jsonl');
  const pruneFile = join(deps.checkpointDir, 'prune');
  mkdirSync(artifactsDir, { recursive: true, mode: 0o700 });
  mkdirSync(deps.checkpointDir, { recursive: true, mode: 0o700 });
  rmSync(metricsFile, { force: true });
  rmSync(pruneFile, { force: true });
  const invocation = commandInvocation(spec, spec.params, { artifactsDir, metricsFile, pruneFile, jobId: job.id, runId });
  const gpus = deps.env.CUDA_VISIBLE_DEVICES;
  reporter.log('info', `${continued ? `Continuing run ${runId}:` : 'Starting'} ${JSON.stringify(invocation.argv)} in ${invocation.cwd}${gpus ? ` on GPU ${gpus}` : ''}, attempt ${job.attempt}`);

  // Metrics from both sources, each with its own step counter for lines that give none.
  const epochs = typeof spec.params.epochs === 'number' && spec.params.epochs > 0 ? spec.params.epochs : null;
  let backlog = 0;
  let badLines = 0;
  const skippedKeys = new Set<string>();
  const nextStep = { stdout: 0, file: 0 };
  const ingest = (text: string, source: 'stdout' | 'file') => {
    const parsed = parseMetricObject(text, nextStep[source]);
    if (!parsed.ok) {
      if (++badLines <= BAD_LINES_SAID) reporter.log('warn', `A metric line ${source === 'file' ? 'in TRAINYARD_METRICS_FILE ' : ''}was skipped: ${parsed.error}: ${text.slice(0, 200)}`);
      return;
    }
    nextStep[source] = parsed.step + 1;
    const ts = Date.now();
    for (const p of parsed.points) reporter.onWorkerEvent({ type: 'metric', key: p.key, step: p.step, value: p.value, ts });
    for (const k of parsed.skipped) {
      if (skippedKeys.has(k)) continue;
      skippedKeys.add(k);
      reporter.log('warn', `Metric ${JSON.stringify(k)} is not a number; it is not recorded`);
    }
    if (epochs) reporter.onWorkerEvent({ type: 'progress', step: `step ${parsed.step}`, fraction: Math.min(1, (parsed.step + 1) / epochs), etaMs: null });
    backlog += parsed.points.length;
    if (backlog >= METRIC_BACKLOG) {
      backlog = 0;
      proc.pause();
      void reporter.flush().finally(() => proc.resume());
    }
  };

  const budget = new LogBudget(LOG_LINES_PER_SECOND, LOG_LINES_PER_START);
  const note = (message: string) => reporter.log('warn', message);
  const records = new GroupRecords(dataPaths(deps.dataDir).commands);
  const proc = new CommandProcess({
    jobId: job.id,
    argv: invocation.argv,
    cwd: invocation.cwd,
    // The GPU pinning last: a job's own env cannot take GPUs the scheduler did not give it.
    env: { ...process.env, ...invocation.env, ...deps.env },
    graceMs: spec.graceMs,
    askMs: STOP_ASK_MS,
    maxLineBytes: MAX_LINE_BYTES,
    records,
    onLine: (stream, line) => {
      const body = stream === 'stdout' ? metricLineBody(line) : null;
      if (body !== null) return ingest(body, 'stdout');
      if (budget.admit(note)) reporter.log(stream === 'stderr' ? 'warn' : 'info', line);
    },
  });
  const tail = new MetricsFileTail(
    metricsFile,
    (line) => line.trim() && ingest(line, 'file'),
    (err) => reporter.log('warn', `TRAINYARD_METRICS_FILE ${metricsFile} could not be read: ${err instanceof Error ? err.message : String(err)}`),
    MAX_LINE_BYTES,
  );
  tail.start();

  const exited = proc.exited.then(async (exit) => {
    await tail.stop();
    budget.flush(note);
    return exit;
  });
  // How the program ended, whatever it was: the outcome below says what that means for the job.
  const task: RunningTask<CommandExit> = {
    pid: proc.pid,
    result: exited,
    cancel: () => proc.stop(() => writeFileSync(pruneFile, `${JSON.stringify({ prune: true, at: Date.now() })}\n`)),
    kill: () => proc.terminate(),
  };

  const outcome = exited.then(async (exit): Promise<JobOutcome> => {
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
    await deps.tracking.finishRun(runId, { status, backend: 'command', device: gpus ? `GPU ${gpus}` : 'cpu' });
    const exitInfo = { code: exit.code, signal: exit.signal };
    if (status === 'completed') return { status, exit: exitInfo };
    if (status === 'cancelled') return { status, exit: exitInfo };
    if (exit.spawnError) return { status: 'failed', error: spawnWords(exit.spawnError, invocation.argv[0], invocation.cwd) };
    return { status: 'failed', error: `the command ${how}${exit.stderrTail.length ? `: ${exit.stderrTail.slice(-3).join(' | ')}` : ''}`, crash: { code: exit.code, signal: exit.signal, tail: exit.stderrTail } };
  });
  return { runId, task, outcome, log: (level, message) => reporter.log(level, message) };
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
