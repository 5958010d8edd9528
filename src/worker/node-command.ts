/**
 * A command job on a cluster node: the user's program in its own process group, its output turned
 * into the job's events as on this machine (bounded log lines, metric points from its stdout and its
 * metrics file), and how it ended as the node's result. A stop (SIGTERM to the node: a cancel, or
 * Slurm ending the job) writes the prune file, then SIGTERM to the group after a short ask, SIGKILL
 * after the job's grace period.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandOutput, CommandProcess, GroupRecords, MAX_LINE_BYTES, MetricsFileTail, STOP_ASK_MS } from '../core/commands';
import type { NodeCommandResult, NodeCommandTask, WorkerEvent } from '../core/workers';

export interface NodeCommand {
  result: Promise<NodeCommandResult>;
  stop(): void;
}

export function runNodeCommand(task: NodeCommandTask, jobDir: string, emit: (e: WorkerEvent) => void): NodeCommand {
  const output = new CommandOutput(emit, task.epochs);
  const proc = new CommandProcess({
    jobId: task.jobId,
    argv: task.argv,
    cwd: task.cwd,
    env: { ...process.env, ...task.env },
    graceMs: task.graceMs,
    askMs: STOP_ASK_MS,
    maxLineBytes: MAX_LINE_BYTES,
    // Read by nobody on the node (Slurm ends what a job leaves behind); kept with the job's files.
    records: new GroupRecords(join(jobDir, 'process-groups')),
    onLine: (stream, line) => output.line(stream, line),
  });
  const tail = new MetricsFileTail(
    task.metricsFile,
    (line) => output.fileLine(line),
    (err) => emit({ type: 'log', level: 'warn', message: `TRAINYARD_METRICS_FILE ${task.metricsFile} could not be read: ${err instanceof Error ? err.message : String(err)}`, ts: Date.now() }),
    MAX_LINE_BYTES,
  );
  tail.start();
  const result = proc.exited.then(async (exit): Promise<NodeCommandResult> => {
    await tail.stop();
    output.end();
    const spawnError = exit.spawnError ? { name: exit.spawnError.name, message: exit.spawnError.message, ...(exit.spawnError.code ? { code: exit.spawnError.code } : {}) } : null;
    return { code: exit.code, signal: exit.signal, stderrTail: exit.stderrTail, stopped: exit.stopped, spawnError };
  });
  return {
    result,
    stop: () => proc.stop(() => writeFileSync(task.pruneFile, `${JSON.stringify({ prune: true, at: Date.now() })}\n`)),
  };
}
