import type { Command } from 'commander';
import { num, ProgressBar } from '../format';
import { waitForJob } from '../wait';
import { withSession } from './context';
import { metricsTable } from './runs';

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('import the bundled CO2 dataset, train a forecaster on it and print its metrics')
    .option('--epochs <n>', 'training epochs', (v) => Number(v))
    .option('--cluster <name>', 'train on this cluster target instead of this machine')
    .option('--json', 'machine-readable output')
    .action(async (opts: { epochs?: number; cluster?: string; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: true }, async (s) => {
        const sample = (await s.api.datasets.samples({})).find((d) => d.file === 'co2-concentration.csv') ?? (await s.api.datasets.samples({}))[0];
        const dataset = await s.api.datasets.import({ source: { kind: 'sample', file: sample.file } });
        const log = (line: string) => !opts.json && process.stdout.write(`${line}\n`);
        log(`Dataset: ${dataset.name} (${dataset.rows} rows; ${sample.source}; ${sample.licence})`);
        const job = await s.api.jobs.create({
          spec: { kind: 'train', datasetId: dataset.id, target: sample.target, model: 'mlp', params: opts.epochs ? { epochs: opts.epochs } : {}, experiment: 'Demo' },
          ...(opts.cluster ? { cluster: opts.cluster } : {}),
        });
        log(`Training an MLP to forecast ${sample.target} (job ${job.id})...`);
        const bar = new ProgressBar();
        const end = await waitForJob(s, job.id, (j) => !opts.json && bar.update(j));
        if (!opts.json) bar.done();
        if (end.status !== 'completed' || !end.runId) {
          throw new Error(`The demo job ${end.status}: ${end.error ?? 'no reason recorded'}`);
        }
        const run = await s.api.runs.get({ id: end.runId });
        if (opts.json) return void process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
        const model = run.artifacts.find((a) => a.kind === 'model') ?? run.artifacts[0];
        log(`\nHeld-out test metrics (original scale), beside the baselines on the same split:\n${metricsTable(run, 'test') ?? '(none recorded)'}`);
        const skill = 1 - (run.summary['test.rmse'] ?? NaN) / (run.summary['naive.rmse'] ?? NaN);
        log(`\nRMSE skill over the naive last-value forecast: ${num(skill * 100)}%`);
        log(`Backend: ${run.backend} (${run.device})`);
        log(`Model saved to ${model ? model.path : '(no artifact recorded)'}`);
        log(`Run ${run.id}: \`trainyard runs show ${run.id}\` for params and artifacts.`);
      });
    });
}
