import type { Command } from 'commander';
import type { Run } from '../../shared/contract';
import { num, table, time } from '../format';
import { printJson, withSession } from './context';

const TEST_METRICS = ['mae', 'rmse', 'mape', 'r2'] as const;

/** The test metrics beside each baseline scored on the same split. */
export function metricsTable(run: Run): string {
  const prefixes = [...new Set(Object.keys(run.summary).filter((k) => TEST_METRICS.some((m) => k.endsWith(`.${m}`))).map((k) => k.slice(0, k.lastIndexOf('.'))))];
  const order = ['test', ...prefixes.filter((p) => p !== 'test').sort()];
  const rows = order.filter((p) => prefixes.includes(p)).map((p) => [p === 'test' ? `${run.model} (test)` : p, ...TEST_METRICS.map((m) => num(run.summary[`${p}.${m}`]))]);
  return table(['', 'MAE', 'RMSE', 'MAPE %', 'R²'], rows);
}

export function registerRunCommands(program: Command): void {
  const runs = program.command('runs').description('inspect training runs');

  runs
    .command('show <id>')
    .description('params, metrics, baselines and artifacts of a run')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const run = await s.api.runs.get({ id });
        if (opts.json) return printJson(run);
        const out = [
          `run ${run.id}  ${run.status}  model ${run.model}  experiment ${run.experiment}`,
          `job ${run.jobId ?? '-'}  dataset ${run.datasetId ?? '-'} (sha256 ${run.datasetSha256?.slice(0, 12) ?? '-'})`,
          `backend ${run.backend ?? '-'}  device ${run.device ?? '-'}  created ${time(run.createdAt)}  finished ${time(run.finishedAt)}`,
          '',
          'params:',
          table(['key', 'value'], Object.entries(run.params).map(([k, v]) => [k, String(v)])),
          '',
          'metrics on the held-out test split:',
          metricsTable(run),
          '',
          'artifacts:',
          run.artifacts.length ? table(['kind', 'bytes', 'path'], run.artifacts.map((a) => [a.kind, a.sizeBytes, a.path])) : '(none)',
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });

  runs
    .command('list')
    .description('list runs, newest first')
    .option('--limit <n>', 'at most this many', (v) => Number(v), 50)
    .option('--json', 'machine-readable output')
    .action(async (opts: { limit: number; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const list = await s.api.runs.list({ limit: opts.limit });
        if (opts.json) return printJson(list);
        process.stdout.write(`${table(['id', 'status', 'model', 'experiment', 'test rmse', 'naive rmse'], list.map((r) => [r.id, r.status, r.model, r.experiment, num(r.summary['test.rmse']), num(r.summary['naive.rmse'])]))}\n`);
      });
    });
}
