/**
 * Trainyard on a cluster node: runs one train, noop or command job from its folder on the shared workdir
 * (`trainyard.mjs slurm-node <job dir>`), with no core and no database. Its running commentary
 * (progress, log lines, metric points), then its result or its error, go one JSON object a line into
 * `events-<slurm job id>.jsonl`, which the core tails. SIGTERM (a cancel, or Slurm ending the job)
 * stops training at the next batch, as a cancel does in a local worker, and asks a command to stop
 * (the prune file, then SIGTERM and SIGKILL to its group: see node-command.ts).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { eventsFileOf, taskFileOf, type NodeLine, type NodeTask } from '../core/workers';
import { runNodeCommand, type NodeCommand } from './node-command';

const jobDir = process.argv[3];
if (!jobDir) {
  process.stderr.write('usage: trainyard.mjs slurm-node <job dir>\n');
  process.exit(2);
}
const clusterJobId = process.env.SLURM_JOB_ID ?? 'local';
const eventsFile = eventsFileOf(jobDir, clusterJobId);
// One write per line, appended: a reader on another machine sees whole lines or nothing of a line.
const write = (line: NodeLine) => appendFileSync(eventsFile, `${JSON.stringify(line)}\n`);

let stopRequested = false;
let command: NodeCommand | null = null;
process.on('SIGTERM', () => {
  // Checks that a cancel escalates to a kill: a job that will not stop on SIGTERM.
  if (process.env.TRAINYARD_NODE_IGNORE_SIGTERM === '1') {
    write({ type: 'log', level: 'warn', message: 'SIGTERM received and ignored (TRAINYARD_NODE_IGNORE_SIGTERM=1)', ts: Date.now() });
    return;
  }
  stopRequested = true;
  command?.stop();
});

async function run(node: NodeTask): Promise<NodeLine> {
  if (node.kind === 'noop') {
    const start = Date.now();
    while (Date.now() - start < node.task.sleepMs) {
      if (stopRequested) return { type: 'error', message: 'cancelled', cancelled: true };
      await new Promise((r) => setTimeout(r, Math.min(50, node.task.sleepMs - (Date.now() - start))));
    }
    return { type: 'result', result: { sleptMs: Date.now() - start } };
  }
  if (node.kind === 'command') {
    command = runNodeCommand(node.task, jobDir, write);
    if (stopRequested) command.stop();
    return { type: 'result', result: await command.result };
  }
  // Loaded only for training, so a noop job starts in a fraction of the time.
  const { runTrainTask } = await import('../core/pipeline');
  const result = await runTrainTask(node.task, { emit: write, shouldStop: () => stopRequested });
  return { type: 'result', result };
}

write({ type: 'log', level: 'info', message: `Started on node ${hostname()} (Slurm job ${clusterJobId})`, ts: Date.now() });
try {
  const node = JSON.parse(readFileSync(taskFileOf(jobDir), 'utf8')) as NodeTask;
  const end = await run(node);
  write(end);
  process.exit(end.type === 'result' ? 0 : 143);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  write({ type: 'error', message, cancelled: message === 'cancelled' });
  process.stderr.write(`trainyard slurm-node: ${message}\n`);
  process.exit(1);
}
