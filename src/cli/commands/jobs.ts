import { Option, type Command } from 'commander';
import { PRIORITY_ORDER, type Job, type Priority } from '../../shared/contract';
import { NotFound } from '../../shared/errors';
import { duration, num, ProgressBar, table, time } from '../format';
import type { Session } from '../session';
import { waitForJob } from '../wait';
import { collectParam, printJson, withSession } from './context';

/** Accepts a dataset id or name. */
async function datasetId(s: Session, ref: string): Promise<string> {
  const all = await s.api.datasets.list({});
  const d = all.find((x) => x.id === ref) ?? all.find((x) => x.name === ref);
  if (!d) throw new NotFound('Dataset', JSON.stringify(ref));
  return d.id;
}

export function describeJob(job: Job): string {
  const p = job.progress;
  const lines = [
    `job ${job.id}  ${job.status}  priority ${job.priority}  attempt ${job.attempt}${job.retryOf ? ` (retry of ${job.retryOf})` : ''}`,
    `model ${job.spec.model}  target ${job.spec.target}  dataset ${job.spec.datasetId}  experiment ${job.spec.experiment}`,
    `params ${Object.keys(job.spec.params).length ? JSON.stringify(job.spec.params) : '(defaults)'}`,
    `progress ${Math.round(p.fraction * 100)}%  step ${p.step ?? '-'}  ETA ${duration(p.etaMs)}`,
    `created ${time(job.createdAt)}  started ${time(job.startedAt)}  finished ${time(job.finishedAt)}`,
    `run ${job.runId ?? '-'}`,
  ];
  if (job.error) lines.push(`error ${job.error}`);
  return lines.join('\n');
}

export function registerJobCommands(program: Command): void {
  const jobs = program.command('jobs').description('submit, follow, cancel and retry training jobs');

  jobs
    .command('submit')
    .description('queue a training job')
    .requiredOption('--dataset <name>', 'dataset name or id')
    .requiredOption('--target <column>', 'column to forecast')
    .option('--model <family>', 'model family', 'mlp')
    .option('--param <key=value>', 'model parameter (repeatable)', collectParam, {})
    .addOption(new Option('--priority <priority>', 'queue priority').choices(PRIORITY_ORDER as string[]).default('normal'))
    .option('--experiment <name>', 'experiment to record the run in', 'Default')
    .option('--json', 'machine-readable output')
    .action(async (opts: { dataset: string; target: string; model: string; param: Record<string, string | number | boolean>; priority: Priority; experiment: string; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const job = await s.api.jobs.create({
          spec: { kind: 'train', datasetId: await datasetId(s, opts.dataset), target: opts.target, model: opts.model as 'mlp', params: opts.param, experiment: opts.experiment },
          priority: opts.priority,
        });
        if (opts.json) return printJson(job);
        process.stdout.write(`Queued job ${job.id} (${job.priority}).\n`);
        if (s.local) process.stdout.write(`No Trainyard server is running on this data directory: it will run under \`trainyard serve\`, or now with \`trainyard jobs wait ${job.id}\`.\n`);
      });
    });

  jobs
    .command('list')
    .description('list jobs, newest first')
    .addOption(new Option('--status <status>', 'only jobs in this status').choices(['queued', 'running', 'completed', 'failed', 'cancelled']))
    .option('--limit <n>', 'at most this many', (v) => Number(v), 100)
    .option('--json', 'machine-readable output')
    .action(async (opts: { status?: Job['status']; limit: number; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const list = await s.api.jobs.list({ ...(opts.status ? { status: opts.status } : {}), limit: opts.limit });
        if (opts.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('No jobs.\n');
        process.stdout.write(
          `${table(
            ['id', 'status', 'priority', 'model', 'target', 'progress', 'created'],
            list.map((j) => [j.id, j.status, j.priority, j.spec.model, j.spec.target, `${Math.round(j.progress.fraction * 100)}%`, time(j.createdAt)]),
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
        if (opts.json) return printJson({ ...job, logs });
        process.stdout.write(`${describeJob(job)}\n\nlog (last 20 lines):\n`);
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
