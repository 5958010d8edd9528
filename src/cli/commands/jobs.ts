import { Option, type Command } from 'commander';
import {
  DuplicatePolicy,
  MissingPolicy,
  PRIORITY_ORDER,
  TimeOrder,
  type DataHandlingInput,
  type Job,
  type ModelFamily,
  type Priority,
} from '../../shared/contract';
import { commandName } from '../../shared/command-name';
import { InvalidInput, NotFound } from '../../shared/errors';
import { duration, num, ProgressBar, table, time } from '../format';
import type { Session } from '../session';
import { waitForJob } from '../wait';
import { collectParam, printJson, withSession } from './context';

interface SubmitOptions {
  dataset?: string;
  target?: string;
  model?: string;
  label?: string;
  exog: string[];
  param: Record<string, string | number | boolean>;
  priority: Priority;
  experiment: string;
  gpus: number;
  cpus: number;
  memory: number;
  after: string[];
  maxAttempts: number;
  backoff: number;
  backend?: string;
  noop?: string | true;
  cluster?: string;
  timeLimit?: number;
  json?: boolean;
  timeOrder?: TimeOrder;
  duplicates?: DuplicatePolicy;
  missing?: MissingPolicy;
  splitRows?: [number, number];
  valFrom?: string;
  testFrom?: string;
}

/** `12194,13936` as [first validation row, first test row]. */
function parseSplitRows(value: string): [number, number] {
  const parts = value.split(',').map((p) => p.trim());
  const rows = parts.map(Number);
  if (parts.length !== 2 || !rows.every((r) => Number.isInteger(r) && r >= 1) || parts.some((p) => p === '')) {
    throw new InvalidInput(`--split-rows is two row indices, the first validation row and the first test row (e.g. 12194,13936), not ${JSON.stringify(value)}`, 'split-rows');
  }
  return [rows[0], rows[1]];
}

/** The job's `data` options from the flags; undefined when none is given, so the defaults apply. */
export function dataHandlingFromFlags(opts: Pick<SubmitOptions, 'timeOrder' | 'duplicates' | 'missing' | 'splitRows' | 'valFrom' | 'testFrom'>): DataHandlingInput | undefined {
  if ((opts.valFrom === undefined) !== (opts.testFrom === undefined)) {
    throw new InvalidInput('A split by date needs both --val-from and --test-from', opts.valFrom === undefined ? 'val-from' : 'test-from');
  }
  if (opts.splitRows && opts.valFrom !== undefined) throw new InvalidInput('Choose --split-rows or --val-from/--test-from, not both', 'split-rows');
  const split = opts.splitRows ? { rows: opts.splitRows } : opts.valFrom !== undefined && opts.testFrom !== undefined ? { valFrom: opts.valFrom, testFrom: opts.testFrom } : undefined;
  const data: DataHandlingInput = {
    ...(opts.timeOrder ? { timeOrder: opts.timeOrder } : {}),
    ...(opts.duplicates ? { duplicates: opts.duplicates } : {}),
    ...(opts.missing ? { missing: opts.missing } : {}),
    ...(split ? { split } : {}),
  };
  return Object.keys(data).length > 0 ? data : undefined;
}

function required(value: string | undefined, flag: string): string {
  if (!value) throw new InvalidInput(`${flag} is required for a training job`, flag.slice(2));
  return value;
}

/** Accepts a dataset id or name. */
export async function datasetId(s: Session, ref: string): Promise<string> {
  const all = await s.api.datasets.list({});
  const d = all.find((x) => x.id === ref) ?? all.find((x) => x.name === ref);
  if (!d) throw new NotFound('Dataset', JSON.stringify(ref));
  return d.id;
}

/** What a job does, in one line: model, target and dataset, or what a no-op waits. */
export function jobSummary(job: Job): string {
  const spec = job.spec;
  if (spec.kind === 'command') return `command ${commandName(spec)}`;
  return spec.kind === 'train' ? `${spec.model} → ${spec.target}` : `noop ${spec.sleepMs} ms${spec.label ? ` (${spec.label})` : ''}`;
}

/** The job's status in words: a job whose core is gone is not running, whatever the store says. */
export function statusText(job: Job): string {
  return job.ownerRunning === false ? 'interrupted (Trainyard is not running)' : job.status;
}

function priorityText(job: Job): string {
  return job.effectivePriority !== job.priority ? `${job.priority} (boosted to ${job.effectivePriority} by waiting)` : job.priority;
}

export function describeJob(job: Job): string {
  const p = job.progress;
  const spec = job.spec;
  const r = job.resources;
  const lines = [
    `job ${job.id}  ${statusText(job)}  priority ${priorityText(job)}  attempt ${job.attempt}${job.retryOf ? ` (retry of ${job.retryOf})` : ''}`,
    spec.kind === 'train'
      ? `model ${spec.model}  target ${spec.target}  dataset ${spec.datasetId}  experiment ${spec.experiment}` +
        `${spec.labelColumn ? `  label ${spec.labelColumn}` : ''}${spec.exogenous.length ? `  exogenous ${spec.exogenous.join(', ')}` : ''}`
      : spec.kind === 'command'
        ? `command ${JSON.stringify(spec.argv)}  in ${spec.cwd ?? '~'}  experiment ${spec.experiment}${Object.keys(spec.params).length ? `  params ${JSON.stringify(spec.params)}` : ''}`
        : `noop: waits ${spec.sleepMs} ms in a worker`,
    ...(spec.kind === 'train' ? [`params ${Object.keys(spec.params).length ? JSON.stringify(spec.params) : '(defaults)'}`] : []),
    ...(spec.kind === 'train' && spec.data ? [`data ${JSON.stringify(spec.data)}`] : []),
    `resources ${r.gpus} GPU  ${r.cpuSlots} CPU  ${r.memoryMB} MB${job.gpuIndices.length ? `  pinned to GPU ${job.gpuIndices.join(',')}` : ''}  max attempts ${job.retryPolicy.maxAttempts}`,
    ...(job.after.length ? [`after ${job.after.join(', ')}`] : []),
    `progress ${Math.round(p.fraction * 100)}%  step ${p.step ?? '-'}  ETA ${duration(p.etaMs)}${job.status === 'queued' && job.estimateMs !== null ? `  estimate ${duration(job.estimateMs)}` : ''}`,
    `created ${time(job.createdAt)}  started ${time(job.startedAt)}  finished ${time(job.finishedAt)}`,
    `run ${job.runId ?? '-'}`,
    ...(job.cluster ? [`cluster ${job.cluster}  Slurm job ${job.clusterJobId ?? '(not submitted yet)'}${job.clusterState ? `  ${job.clusterState}` : ''}`] : []),
  ];
  if (job.error) lines.push(`error ${job.error}`);
  return lines.join('\n');
}

export function registerJobCommands(program: Command): void {
  const jobs = program.command('jobs').description('submit, follow, cancel and retry training jobs');

  jobs
    .command('submit')
    .description('queue a training job')
    .option('--dataset <name>', 'dataset name or id')
    .option('--target <column>', 'column to forecast, or to score for anomalies')
    .option('--model <family>', 'model family (trainyard jobs families lists them; default: the core\'s default family)')
    .option('--label <column>', 'a 0/1 column marking known anomalies (anomaly families): chooses the threshold, scores the run')
    .option('--exog <columns...>', 'extra numeric columns the model reads beside the target (forecast families)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--param <key=value>', 'model parameter (repeatable)', collectParam, {})
    .addOption(new Option('--priority <priority>', 'queue priority').choices(PRIORITY_ORDER as string[]).default('normal'))
    .option('--experiment <name>', 'experiment to record the run in', 'Default')
    .option('--gpus <n>', 'GPUs the job needs (pinned with CUDA_VISIBLE_DEVICES)', (v) => Number(v), 0)
    .option('--cpus <n>', 'CPU slots the job needs', (v) => Number(v), 1)
    .option('--memory <MB>', 'memory the job needs, in MB', (v) => Number(v), 512)
    .option('--after <id>', 'start only after this job completed (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--max-attempts <n>', 'attempts in all when the worker crashes (1: no automatic retry)', (v) => Number(v), 1)
    .option('--backoff <ms>', 'wait before the first automatic retry, doubled after each', (v) => Number(v), 5000)
    .option('--backend <name>', 'force a compute backend for this job')
    .addOption(new Option('--time-order <how>', 'rows out of time order: sort them (default), keep the file order with a warning per row, or refuse').choices(TimeOrder.options))
    .addOption(new Option('--duplicates <how>', 'rows sharing a timestamp: refuse (default), keep the first or the last, or the mean of each column (a 0/1 label: the max)').choices(DuplicatePolicy.options))
    .addOption(new Option('--missing <how>', 'missing values in the target and exogenous columns: refuse (default), drop their rows, interpolate linearly, or fill forward').choices(MissingPolicy.options))
    .option(
      '--split-rows <valStart,testStart>',
      'split at these rows: the first validation row and the first test row, 0-based indices of the data rows after time order, duplicates and missing values are resolved (instead of the valFraction/testFraction params, which are floored)',
      parseSplitRows,
    )
    .option('--val-from <date>', 'split by date: validation starts at the first row at or after this ISO date (with --test-from)')
    .option('--test-from <date>', 'split by date: test starts at the first row at or after this ISO date (with --val-from)')
    .option('--noop [ms]', 'queue a job that only waits (ms) in a worker: checks the pool, measures the queue')
    .option('--cluster <name>', 'run it on this cluster target (trainyard clusters list) instead of this machine')
    .option('--time-limit <minutes>', 'wall-clock limit on a cluster (sbatch --time)', (v) => Number(v))
    .option('--json', 'machine-readable output')
    .action(async (opts: SubmitOptions, cmd: Command) => {
      const data = dataHandlingFromFlags(opts);
      await withSession(cmd, { scheduler: false }, async (s) => {
        const spec =
          opts.noop !== undefined
            ? { kind: 'noop' as const, sleepMs: opts.noop === true ? 0 : Number(opts.noop) }
            : {
                kind: 'train' as const,
                datasetId: await datasetId(s, required(opts.dataset, '--dataset')),
                target: required(opts.target, '--target'),
                ...(opts.model ? { model: opts.model as ModelFamily } : {}),
                ...(opts.label ? { labelColumn: opts.label } : {}),
                exogenous: opts.exog,
                params: opts.param,
                experiment: opts.experiment,
                ...(opts.backend ? { backend: opts.backend } : {}),
                ...(data ? { data } : {}),
              };
        const job = await s.api.jobs.create({
          spec,
          priority: opts.priority,
          resources: { gpus: opts.gpus, cpuSlots: opts.cpus, memoryMB: opts.memory, ...(opts.timeLimit !== undefined ? { timeLimitMinutes: opts.timeLimit } : {}) },
          retryPolicy: { maxAttempts: opts.maxAttempts, backoffMs: opts.backoff },
          after: opts.after,
          ...(opts.cluster ? { cluster: opts.cluster } : {}),
        });
        if (opts.json) return printJson(job);
        process.stdout.write(`Queued job ${job.id} (${job.priority}).\n`);
        if (s.local) process.stdout.write(`No Trainyard server is running on this data directory: it will run under \`trainyard serve\`, or now with \`trainyard jobs wait ${job.id}\`.\n`);
      });
    });

  jobs
    .command('families')
    .description('list the model families a job may name, with their task, the columns they read and their default params')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const families = await s.api.system.families({});
        if (opts.json) return printJson(families);
        const reads = (f: (typeof families)[number]) => ['target', ...(f.uses.exogenous ? ['--exog'] : []), ...(f.uses.labelColumn ? ['--label'] : [])].join(', ');
        process.stdout.write(
          `${table(
            ['family', 'task', 'reads', 'params (defaults)'],
            families.map((f) => [`${f.name}${f.isDefault ? ' (default)' : ''}`, f.task, reads(f), Object.entries(f.defaults).map(([k, v]) => `${k}=${v}`).join(' ')]),
          )}\n`,
        );
      });
    });

  jobs
    .command('list')
    .description('list jobs, newest first')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(['queued', 'running', 'completed', 'failed', 'cancelled']))
    .addOption(new Option('--priority <priority>', 'only jobs of this priority').choices(PRIORITY_ORDER as string[]))
    .option('--limit <n>', 'at most this many', (v) => Number(v), 100)
    .option('--json', 'machine-readable output')
    .action(async (opts: { status?: Job['status']; priority?: Priority; limit: number; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const list = await s.api.jobs.list({ ...(opts.status ? { status: opts.status } : {}), ...(opts.priority ? { priority: opts.priority } : {}), limit: opts.limit });
        if (opts.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('No jobs.\n');
        process.stdout.write(
          `${table(
            ['id', 'status', 'priority', 'job', 'progress', 'ETA', 'created'],
            list.map((j) => [
              j.id,
              statusText(j),
              j.effectivePriority !== j.priority ? `${j.priority}→${j.effectivePriority}` : j.priority,
              jobSummary(j),
              `${Math.round(j.progress.fraction * 100)}%`,
              j.status === 'running' ? duration(j.progress.etaMs) : j.status === 'queued' && j.estimateMs !== null ? `~${duration(j.estimateMs)}` : '',
              time(j.createdAt),
            ]),
          )}\n`,
        );
      });
    });

  jobs
    .command('show <id>')
    .description('show one job and its latest log lines')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const job = await s.api.jobs.get({ id });
        const logs = await s.api.jobs.logs({ id, limit: 10000 });
        const transitions = await s.api.jobs.transitions({ id });
        if (opts.json) return printJson({ ...job, transitions, logs });
        process.stdout.write(`${describeJob(job)}\n\ntimeline:\n`);
        for (const t of transitions) {
          const how = [t.exitCode !== null ? `exit code ${t.exitCode}` : '', t.signal ? `signal ${t.signal}` : ''].filter(Boolean).join(', ');
          process.stdout.write(`  ${time(t.ts)} ${(t.from ?? '-').padEnd(9)} → ${t.to.padEnd(9)} ${t.cause}${how ? ` (${how})` : ''}\n`);
          for (const line of t.logTail) process.stdout.write(`      | ${line}\n`);
        }
        process.stdout.write(`\nlog (last 20 lines):\n`);
        for (const l of logs.slice(-20)) process.stdout.write(`  ${time(l.ts)} ${l.level.padEnd(5)} ${l.message}\n`);
      });
    });

  jobs
    .command('cancel <id>')
    .description('cancel a queued or running job')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const job = await s.api.jobs.cancel({ id });
        if (opts.json) return printJson(job);
        process.stdout.write(job.status === 'cancelled' ? `Cancelled job ${id}.\n` : `Cancel requested for job ${id}; it stops at the next batch.\n`);
      });
    });

  jobs
    .command('set-priority <id> <priority>')
    .description('change the priority of a queued job (urgent, high, normal, low)')
    .option('--json', 'machine-readable output')
    .action(async (id: string, priority: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const job = await s.api.jobs.setPriority({ id, priority: priority as Priority });
        if (opts.json) return printJson(job);
        process.stdout.write(`Job ${id} is now ${job.priority}.\n`);
      });
    });

  jobs
    .command('retry <id>')
    .description('queue a new attempt of a failed or cancelled job')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const job = await s.api.jobs.retry({ id });
        if (opts.json) return printJson(job);
        process.stdout.write(`Queued job ${job.id}, attempt ${job.attempt} of ${id}.\n`);
      });
    });

  jobs
    .command('wait <id>')
    .description('wait for a job to end, with a progress bar; runs the queue here if no server does')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const job = await withSession(cmd, { scheduler: true }, async (s) => {
        const bar = new ProgressBar();
        const end = await waitForJob(s, id, (j) => bar.update(j));
        bar.done();
        return end;
      });
      if (opts.json) printJson(job);
      else process.stdout.write(`Job ${id} ${job.status}${job.error ? `: ${job.error}` : ''}\n`);
      if (job.status !== 'completed') process.exitCode = 1;
    });
}

export { num };
