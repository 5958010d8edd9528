/**
 * One command followed to its end, the same on this machine and on a cluster node: its process
 * group, its output and its metrics file read into a CommandOutput, and a stop that writes the prune
 * file first (then SIGTERM and SIGKILL to the group, see CommandProcess.stop).
 */
import { writeFileSync } from 'node:fs';
import type { CommandOutput } from './output';
import { MAX_LINE_BYTES, STOP_ASK_MS } from './output';
import { CommandProcess, type CommandExit } from './process';
import type { GroupRecords } from './process-group';
import { MetricsFileTail } from './metrics-file';

export interface FollowedCommandOptions {
  jobId: string;
  argv: string[];
  cwd: string;
  /** The whole environment of the program. */
  env: Record<string, string | undefined>;
  graceMs: number;
  metricsFile: string;
  pruneFile: string;
  records: GroupRecords;
  output: CommandOutput;
  /** Said when the metrics file cannot be read. */
  warn: (message: string) => void;
}

export interface FollowedCommand {
  proc: CommandProcess;
  /** How it ended, once its output and its metrics file are read to the end. */
  exited: Promise<CommandExit>;
  stop(): void;
}

export function followCommand(opts: FollowedCommandOptions): FollowedCommand {
  const { output } = opts;
  const proc = new CommandProcess({
    jobId: opts.jobId,
    argv: opts.argv,
    cwd: opts.cwd,
    env: opts.env,
    graceMs: opts.graceMs,
    askMs: STOP_ASK_MS,
    maxLineBytes: MAX_LINE_BYTES,
    records: opts.records,
    onLine: (stream, line) => output.line(stream, line),
  });
  const tail = new MetricsFileTail(
    opts.metricsFile,
    (line) => output.fileLine(line),
    (err) => opts.warn(`TRAINYARD_METRICS_FILE ${opts.metricsFile} could not be read: ${err instanceof Error ? err.message : String(err)}`),
    MAX_LINE_BYTES,
  );
  tail.start();
  const exited = proc.exited.then(async (exit) => {
    await tail.stop();
    output.end();
    return exit;
  });
  return {
    proc,
    exited,
    stop: () => proc.stop(() => writeFileSync(opts.pruneFile, `${JSON.stringify({ prune: true, at: Date.now() })}\n`)),
  };
}
