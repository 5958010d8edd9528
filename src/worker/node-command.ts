/**
 * A command job on a cluster node: the user's program in its own process group, its output turned
 * into the job's events as on this machine (bounded log lines, metric points from its stdout and its
 * metrics file), and how it ended as the node's result. A stop (SIGTERM to the node: a cancel, or
 * Slurm ending the job) writes the prune file, then SIGTERM to the group after a short ask, SIGKILL
 * after the job's grace period.
 */
import { join } from 'node:path';
import { CommandOutput, GroupRecords, followCommand } from '../core/commands';
import type { NodeCommandResult, NodeCommandTask, WorkerEvent } from '../core/workers';

export interface NodeCommand {
  result: Promise<NodeCommandResult>;
  stop(): void;
}

export function runNodeCommand(task: NodeCommandTask, jobDir: string, emit: (e: WorkerEvent) => void): NodeCommand {
  const command = followCommand({
    ...task,
    env: { ...process.env, ...task.env },
    // Read by nobody on the node (Slurm ends what a job leaves behind); kept with the job's files.
    records: new GroupRecords(join(jobDir, 'process-groups')),
    output: new CommandOutput(emit, task.epochs),
    warn: (message) => emit({ type: 'log', level: 'warn', message, ts: Date.now() }),
  });
  const result = command.exited.then((exit): NodeCommandResult => {
    const spawnError = exit.spawnError ? { name: exit.spawnError.name, message: exit.spawnError.message, ...(exit.spawnError.code ? { code: exit.spawnError.code } : {}) } : null;
    return { code: exit.code, signal: exit.signal, stderrTail: exit.stderrTail, stopped: exit.stopped, spawnError };
  });
  return { result, stop: () => command.stop() };
}
