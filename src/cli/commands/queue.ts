import { Option, type Command } from 'commander';
import type { QueueState, QueueStats } from '../../shared/contract';
import { duration, table } from '../format';
import type { Session } from '../session';
import { printJson, withSession } from './context';

function describeState(q: QueueState): string {
  return [
    `queue ${q.paused ? 'PAUSED (running jobs finish, nothing new starts)' : 'running'}  ${q.running} running / ${q.maxConcurrent} at most  ${q.queued} queued`,
    `resources in use: ${q.inUse.gpus}/${q.capacity.gpus} GPU  ${q.inUse.cpuSlots}/${q.capacity.cpuSlots} CPU  ${q.inUse.memoryMB}/${q.capacity.memoryMB} MB`,
    `limits: max concurrent ${q.maxConcurrent}${Object.entries(q.maxPerKind).map(([k, n]) => `, ${n} ${k}`).join('')}`,
    q.agingMinutes > 0 ? `aging: a queued job rises one priority level every ${q.agingMinutes} min it waits (up to high)` : 'aging: off',
  ].join('\n');
}

function describeStats(s: QueueStats): string {
  const c = s.counts;
  const head = `${c.queued} queued  ${c.running} running  ${c.completed} completed  ${c.failed} failed  ${c.cancelled} cancelled\nmean wait ${duration(s.meanWaitMs)}  mean run ${duration(s.meanRunMs)}  throughput ${s.throughputPerHour} jobs in the last hour`;
  const rows = s.perPriority.map((p) => [p.priority, p.queued, p.running, p.completed, p.failed, p.cancelled, duration(p.meanWaitMs), duration(p.meanRunMs)].map(String));
  return `${head}\n\n${table(['priority', 'queued', 'running', 'completed', 'failed', 'cancelled', 'mean wait', 'mean run'], rows)}`;
}

/** "none" removes a kind's limit; commander keeps the raw text when a parser returns null, so it is marked -1 here. */
const NO_LIMIT = -1;
const kindLimit = (v: string): number => (v === 'none' ? NO_LIMIT : Number(v));
const limitOf = (n: number | undefined) => (n === NO_LIMIT ? null : n);

/**
 * The concurrency limit takes the contract's name, `--max-concurrent`. `--concurrency`, its older
 * name, is kept out of the help so scripts that use it keep working.
 */
export function addMaxConcurrentOption(command: Command, description: string): Command {
  const parse = (v: string) => Number(v);
  return command
    .addOption(new Option('--max-concurrent <n>', description).argParser(parse))
    .addOption(new Option('--concurrency <n>', 'older name of --max-concurrent').argParser(parse).hideHelp());
}

/** The limit given by either name; the contract's name wins when both are. */
export const maxConcurrentOf = (opts: { maxConcurrent?: number; concurrency?: number }): number | undefined => opts.maxConcurrent ?? opts.concurrency;

function printState(q: QueueState, json?: boolean): void {
  if (json) printJson(q);
  else process.stdout.write(`${describeState(q)}\n`);
}

export function registerQueueCommands(program: Command): void {
  const queue = program.command('queue').description('pause, resume and inspect the job queue');

  const switches = [
    ['pause', 'stop starting jobs; running jobs finish', (api: Session['api']) => api.queue.pause({})],
    ['resume', 'start queued jobs again', (api: Session['api']) => api.queue.resume({})],
  ] as const;
  for (const [name, description, call] of switches) {
    queue
      .command(name)
      .description(description)
      .option('--json', 'machine-readable output')
      .action(async (opts: { json?: boolean }, cmd: Command) => {
        await withSession(cmd, { scheduler: false }, async (s) => printState(await call(s.api), opts.json));
      });
  }

  const limits = queue
    .command('limits')
    .description('set how many jobs run at once (in all and per kind) and the aging interval; saved in the data directory');
  addMaxConcurrentOption(limits, 'jobs running at once')
    .option('--train <n>', 'training jobs running at once ("none" removes the limit)', kindLimit)
    .option('--noop <n>', 'no-op jobs running at once ("none" removes the limit)', kindLimit)
    .option('--aging <minutes>', 'minutes a queued job waits before it rises one priority level (0: off)', (v) => Number(v))
    .option('--json', 'machine-readable output')
    .action(async (opts: { maxConcurrent?: number; concurrency?: number; train?: number; noop?: number; aging?: number; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const perKind = { ...(opts.train !== undefined ? { train: limitOf(opts.train) } : {}), ...(opts.noop !== undefined ? { noop: limitOf(opts.noop) } : {}) };
        const maxConcurrent = maxConcurrentOf(opts);
        const q = await s.api.queue.configure({
          ...(maxConcurrent !== undefined ? { maxConcurrent } : {}),
          ...(Object.keys(perKind).length ? { maxPerKind: perKind } : {}),
          ...(opts.aging !== undefined ? { agingMinutes: opts.aging } : {}),
        });
        printState(q, opts.json);
      });
    });

  queue
    .command('stats')
    .description('counts by status, mean wait and run time, throughput, per priority')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const [state, stats] = await Promise.all([s.api.queue.state({}), s.api.queue.stats({})]);
        if (opts.json) return printJson({ state, stats });
        process.stdout.write(`${describeState(state)}\n\n${describeStats(stats)}\n`);
      });
    });
}
