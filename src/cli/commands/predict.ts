/**
 * `trainyard predict REF --data FILE` and `trainyard models evaluate REF REF... --dataset ID`:
 * a registered model's predictions on a file, and several models' metrics on the same rows side by side.
 */
import type { Command } from 'commander';
import { rename, rm, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { EvaluateResult, PredictData, PredictResult } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { num, table } from '../format';
import { fileSource } from '../file-source';
import { printJson, withSession } from './context';

/** Writes `text` to `path` whole or not at all: a temporary file beside it, then a rename. */
async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.partial`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw new InvalidInput(`Cannot write ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
}

function summary(r: PredictResult, out: string): string {
  const seconds = (r.durationMs / 1000).toFixed(1);
  if (r.task === 'anomaly') {
    const flagged = r.rows.filter((row) => row[3] === 1).length;
    return `Scored ${r.rows.length} rows with ${r.model}:${r.version} (${flagged} flagged, ${r.skipped} before the first full window) into ${out} in ${seconds}s`;
  }
  const forecast = r.rows.filter((row) => row[3] === 'forecast').length;
  return `Wrote ${r.rows.length - forecast} fitted rows and ${forecast} forecast steps of ${r.model}:${r.version} (${r.skipped} rows too early for a full window) to ${out} in ${seconds}s`;
}

export function registerPredictCommand(program: Command): void {
  program
    .command('predict <ref>')
    .description('predict with a registered model (NAME, NAME:VERSION or NAME@ALIAS) on a CSV or Parquet file')
    .requiredOption('--data <file>', 'the data file: the columns the model reads, rows oldest first')
    .option('-o, --output <file>', 'write the predictions as CSV here (default: to stdout)')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { data: string; output?: string; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const r = await s.api.models.predict({ ref, data: { source: fileSource(s, opts.data, 'data') } });
        if (opts.output) {
          const out = resolve(opts.output);
          await writeAtomically(out, r.csv);
          if (opts.json) return printJson({ ...r, rows: undefined, csv: undefined, output: out, rowCount: r.rows.length });
          return void process.stdout.write(`${summary(r, out)}\n`);
        }
        if (opts.json) return printJson(r);
        process.stdout.write(r.csv);
      });
    });
}

/** Lower is better for errors, higher for fit and detection; counts and baselines are not ranked. */
const LOWER = new Set(['mae', 'rmse', 'mape']);
const HIGHER = new Set(['r2', 'skill.naive', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc']);

/** Metric rows, one column per model, the better value marked with `*`. */
export function evaluateTable(r: EvaluateResult): string {
  const keys = [...new Set(r.models.flatMap((m) => Object.keys(m.metrics)))];
  const rows = keys.map((k) => {
    const values = r.models.map((m) => m.metrics[k]);
    const known = values.filter((v): v is number => v !== undefined && Number.isFinite(v));
    const best = LOWER.has(k) ? Math.min(...known) : HIGHER.has(k) ? Math.max(...known) : null;
    const mark = best !== null && r.models.length > 1 && known.length > 1 && new Set(known).size > 1;
    return [k, ...values.map((v) => (v === undefined ? '-' : `${num(v)}${mark && v === best ? ' *' : ''}`))];
  });
  return table(['metric', ...r.models.map((m) => m.ref)], rows);
}

export function registerEvaluateCommand(models: Command): void {
  models
    .command('evaluate <refs...>')
    .description('score models on the same rows of one dataset and show their metrics side by side')
    .option('--dataset <id>', 'a stored dataset')
    .option('--data <file>', 'a CSV or Parquet file')
    .option('--rows <which>', 'test: the first model’s test rows of the file; all: every row all models can predict', 'test')
    .option('--json', 'machine-readable output')
    .action(async (refs: string[], opts: { dataset?: string; data?: string; rows: string; json?: boolean }, cmd: Command) => {
      if ((opts.dataset === undefined) === (opts.data === undefined)) throw new InvalidInput('Give exactly one of --dataset ID or --data FILE');
      if (opts.rows !== 'test' && opts.rows !== 'all') throw new InvalidInput(`--rows is test or all, not ${JSON.stringify(opts.rows)}`);
      await withSession(cmd, { scheduler: false }, async (s) => {
        const data: PredictData = opts.dataset ? { datasetId: opts.dataset } : { source: fileSource(s, opts.data!, 'data') };
        const r = await s.api.models.evaluate({ refs, data, rows: opts.rows as 'test' | 'all' });
        if (opts.json) return printJson(r);
        const span = r.rows.from ? `, ${r.rows.from} to ${r.rows.to}` : '';
        process.stdout.write(`${r.dataset.name} (sha256 ${r.dataset.sha256.slice(0, 12)}): ${r.rows.which} rows, ${r.rows.count}${span}\n`);
        process.stdout.write(`${evaluateTable(r)}\n`);
        if (r.models.length > 1) process.stdout.write('* the better value\n');
      });
    });
}
