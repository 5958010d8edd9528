import { Option, type Command } from 'commander';
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import type { Run, RunComparison } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { SPLIT_PART_NAMES, isDataParam, resolutionPhrases, runDataSummary } from '../../shared/run-data';
import { num, table, time } from '../format';
import { anomalyMetricsText, isAnomalyRun } from './anomaly-table';
import { printJson, withSession } from './context';

const REGRESSION_METRICS = ['mae', 'rmse', 'mape', 'r2'] as const;
/** The model and the baselines scored on the same targets, by their summary prefix on each split. */
const SERIES = [
  { label: (model: string) => model, test: 'test', validation: 'val' },
  { label: () => 'naive (last value)', test: 'naive', validation: 'naive.val' },
  { label: () => 'seasonal naive', test: 'seasonal_naive', validation: 'seasonal_naive.val' },
] as const;
/** A skill this close to zero (RMSE within 2% of the naive forecast's) is not evidence either way. */
const NOISE_SKILL = 0.02;

/** 1 - RMSE / naive RMSE of a row, as a signed percentage. */
function skillCell(rmse: number | undefined, naiveRmse: number | undefined): string | null {
  if (rmse === undefined || naiveRmse === undefined || !(naiveRmse > 0)) return null;
  const skill = 1 - rmse / naiveRmse;
  return `${skill >= 0 ? '+' : '-'}${(Math.abs(skill) * 100).toFixed(1)}%`;
}

/** One split's metrics (original scale): the model beside each baseline that was scored; null when the model has none there. */
export function metricsTable(run: Run, split: 'test' | 'validation'): string | null {
  const at = (prefix: string, m: string) => run.summary[`${prefix}.${m}`];
  const rows = SERIES.filter((s) => REGRESSION_METRICS.some((m) => at(s[split], m) !== undefined));
  if (!rows.some((s) => s.test === 'test')) return null;
  const naiveRmse = at(SERIES[1][split], 'rmse');
  const body = rows.map((s) => [
    s.label(run.model),
    ...REGRESSION_METRICS.map((m) => num(at(s[split], m))),
    s.test === 'naive' ? 'reference' : skillCell(at(s[split], 'rmse'), naiveRmse),
  ]);
  return table(['', 'MAE', 'RMSE', 'MAPE %', 'R²', 'skill vs naive'], body);
}

/** The verdict on test, in words: by how much the model beats the naive forecast, or that it is within noise. */
export function skillVerdict(run: Run): string | null {
  const skill = run.summary['test.skill'] ?? run.summary['skill.naive'];
  if (skill === undefined || !Number.isFinite(skill)) return null;
  const pct = `${(Math.abs(skill) * 100).toFixed(1)}%`;
  if (Math.abs(skill) < NOISE_SKILL) return `verdict: within noise of the naive forecast (test RMSE ${skill >= 0 ? 'below' : 'above'} it by ${pct}, under 2%)`;
  return skill > 0 ? `verdict: beats the naive forecast by ${pct} on test RMSE (skill ${skill.toFixed(3)})` : `verdict: worse than the naive forecast by ${pct} on test RMSE (skill ${skill.toFixed(3)})`;
}

/** The split's exact boundaries and what was done to the data, from the run's `data.*` and `split.*` params. */
export function dataSummaryText(run: Run): string[] {
  const d = runDataSummary(run.params);
  if (!d) return [];
  return [
    '',
    `split (by ${d.method}; rows are 0-based data rows after resolution):`,
    table(['part', 'first row', 'last row', 'rows', 'from', 'to'], d.parts.map((p) => [SPLIT_PART_NAMES[p.part], p.firstRow, p.lastRow, p.lastRow - p.firstRow + 1, p.from, p.to])),
    ...resolutionPhrases(d).map((r) => `${r.label.toLowerCase()}: ${r.text}`),
  ];
}

const bytes = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KB` : `${n} B`);

/** A cell for a param or metric value: numbers shortened, absent as "-". */
function cell(v: string | number | boolean | null | undefined): string {
  if (v === null || v === undefined) return '-';
  return typeof v === 'number' ? num(v) : String(v);
}

/** Runs are told apart in wide tables by the random tail of their ids. */
const shortId = (id: string) => (id.length > 8 ? `…${id.slice(-8)}` : id);

export function comparisonText(cmp: RunComparison): string {
  const heads = cmp.runs.map((r) => shortId(r.id));
  const legend = cmp.runs.map((r) => `${shortId(r.id)} = ${r.id} (${r.model}, ${r.experiment}, ${r.status})`);
  const differing = cmp.params.filter((p) => p.differs).length;
  const params = cmp.params.map((p) => [`${p.differs ? '* ' : '  '}${p.key}`, ...p.values.map(cell)]);
  const metrics = cmp.metrics.filter((m) => !m.key.startsWith('sys.')).map((m) => [m.key, ...m.values.map(cell)]);
  return [
    ...legend,
    '',
    `params (* differs: ${differing} of ${cmp.params.length}):`,
    params.length ? table(['', ...heads], params) : '(none)',
    '',
    'final metrics:',
    metrics.length ? table(['', ...heads], metrics) : '(none)',
  ].join('\n');
}

/** Asks on the terminal; without one, refuses (a script must say --yes). */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new InvalidInput('Refusing to delete without confirmation: run it on a terminal or pass --yes', 'yes');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

/** A command's metrics are its own names: all of them, sorted, with the last value reported. */
function commandMetricsText(run: Run): string {
  const rows = Object.entries(run.summary).sort(([a], [b]) => (a < b ? -1 : 1));
  return rows.length ? table(['key', 'value'], rows.map(([k, v]) => [k, num(v)])) : '(none reported)';
}

export function registerRunCommands(program: Command): void {
  const runs = program.command('runs').description('search, compare, export and delete training runs');

  runs
    .command('show <id>')
    .description('params, metrics, baselines and artifacts of a run')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const run = await s.api.runs.get({ id });
        if (opts.json) return printJson(run);
        const tags = Object.entries(run.tags).map(([k, v]) => `${k}=${v}`);
        const out = [
          `run ${run.id}  ${run.status}  model ${run.model}  experiment ${run.experiment}${run.archived ? '  (archived)' : ''}`,
          `job ${run.jobId ?? '-'}  dataset ${run.datasetId ?? '-'} (sha256 ${run.datasetSha256?.slice(0, 12) ?? '-'})`,
          `backend ${run.backend ?? '-'}  device ${run.device ?? '-'}  created ${time(run.createdAt)}  finished ${time(run.finishedAt)}`,
          `tags ${tags.length ? tags.join('  ') : '-'}`,
          ...(run.note ? [`note ${run.note}`] : []),
          '',
          'params:',
          table(['key', 'value'], Object.entries(run.params).filter(([k]) => !isDataParam(k)).map(([k, v]) => [k, String(v)])),
          ...dataSummaryText(run),
          '',
          ...(run.model === 'command'
            ? ['metrics (the last value the command reported of each):', commandMetricsText(run)]
            : isAnomalyRun(run)
            ? ['anomaly detection:', anomalyMetricsText(run)]
            : [
                'metrics on the held-out test split (the headline, original scale):',
                metricsTable(run, 'test') ?? '(none recorded)',
                ...[skillVerdict(run)].filter((v) => v !== null),
                '',
                'metrics on the validation split (what model selection used):',
                metricsTable(run, 'validation') ?? '(none recorded)',
              ]),
          '',
          'artifacts:',
          run.artifacts.length ? table(['kind', 'bytes', 'path'], run.artifacts.map((a) => [a.kind, a.sizeBytes, a.path])) : '(none)',
        ];
        process.stdout.write(`${out.join('\n')}\n`);
      });
    });

  runs
    .command('list')
    .description('list runs, newest first, or as a query selects and a key sorts them')
    .option('--experiment <name>', 'only runs of this experiment')
    .option('-q, --query <query>', 'e.g. \'metrics.test.rmse < 0.5 and (params.model = "lstm" or tags.stage = "candidate")\'')
    .option('--sort <key>', 'created, finished, status, model, experiment, params.<key>, metrics.<key> or tags.<key>', 'created')
    .addOption(new Option('--order <order>', 'sort order (default: desc for created and finished, asc otherwise)').choices(['asc', 'desc']))
    .option('--limit <n>', 'at most this many', (v) => Number(v), 50)
    .option('--offset <n>', 'skip this many', (v) => Number(v), 0)
    .option('--all', 'include archived runs')
    .option('--json', 'machine-readable output: { runs, total }')
    .action(async (opts: { experiment?: string; query?: string; sort: string; order?: 'asc' | 'desc'; limit: number; offset: number; all?: boolean; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const order = opts.order ?? (opts.sort === 'created' || opts.sort === 'finished' ? 'desc' : 'asc');
        const page = await s.api.runs.list({
          query: opts.query ?? '',
          ...(opts.experiment !== undefined ? { experiment: opts.experiment } : {}),
          includeArchived: Boolean(opts.all),
          sort: { key: opts.sort, order },
          offset: opts.offset,
          limit: opts.limit,
        });
        if (opts.json) return printJson(page);
        if (page.total === 0) return void process.stdout.write('No runs.\n');
        // The sort key gets a column of its own when it is a param, metric or tag.
        const extra = /^(params|metrics|tags)\.(.+)$/.exec(opts.sort);
        const extraValue = (r: Run) => {
          if (!extra) return null;
          const [, scope, key] = extra;
          return cell(scope === 'params' ? r.params[key] : scope === 'metrics' ? r.summary[key] : r.tags[key]);
        };
        const headers = ['id', 'status', 'model', 'experiment', 'created', 'test rmse', 'naive rmse', ...(extra && opts.sort !== 'metrics.test.rmse' && opts.sort !== 'metrics.naive.rmse' ? [opts.sort] : [])];
        const rows = page.runs.map((r) => {
          const row: (string | null)[] = [r.id, r.status, r.model, r.experiment, time(r.createdAt), num(r.summary['test.rmse']), num(r.summary['naive.rmse'])];
          if (headers.length > 7) row.push(extraValue(r));
          return row;
        });
        const shown = page.runs.length ? `${opts.offset + 1}-${opts.offset + page.runs.length}` : 'none';
        process.stdout.write(`${table(headers, rows)}\n${shown} of ${page.total} runs\n`);
      });
    });

  runs
    .command('compare <ids...>')
    .description('params side by side (what differs is marked) and final metrics of two or more runs')
    .option('--json', 'machine-readable output')
    .action(async (ids: string[], opts: { json?: boolean }, cmd: Command) => {
      if (ids.length < 2) throw new InvalidInput('Compare needs at least two run ids', 'ids');
      await withSession(cmd, { scheduler: false }, async (s) => {
        const cmp = await s.api.runs.compare({ ids });
        if (opts.json) return printJson(cmp);
        process.stdout.write(`${comparisonText(cmp)}\n`);
      });
    });

  runs
    .command('export')
    .description('the runs a query selects as CSV or JSON, one column per param, metric and tag')
    .requiredOption('--format <format>', 'csv or json')
    .option('-q, --query <query>', 'only the runs this query selects')
    .option('--experiment <name>', 'only runs of this experiment')
    .option('--all', 'include archived runs')
    .option('-o, --output <file>', 'write here instead of to stdout')
    .action(async (opts: { format: string; query?: string; experiment?: string; all?: boolean; output?: string }, cmd: Command) => {
      if (opts.format !== 'csv' && opts.format !== 'json') throw new InvalidInput(`--format is csv or json, not ${JSON.stringify(opts.format)}`, 'format');
      const format = opts.format;
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await s.api.runs.export({ format, query: opts.query ?? '', includeArchived: Boolean(opts.all), ...(opts.experiment !== undefined ? { experiment: opts.experiment } : {}) });
        if (!opts.output) return void process.stdout.write(out.text);
        writeFileSync(opts.output, out.text);
        process.stderr.write(`Wrote ${out.count} runs to ${opts.output}\n`);
      });
    });

  runs
    .command('series <id> <key>')
    .description("one metric series of a run, whole, as CSV (step,ts,value), read off the server's main thread")
    .option('-o, --output <file>', 'write here instead of to stdout')
    .option('--json', 'machine-readable output (with -o: what was written; without: the points)')
    .action(async (id: string, key: string, opts: { output?: string; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await s.api.runs.exportSeries({ id, key });
        if (opts.output) {
          writeFileSync(opts.output, out.text);
          if (opts.json) return void process.stdout.write(`${JSON.stringify({ file: opts.output, points: out.count })}\n`);
          return void process.stderr.write(`Wrote ${out.count} points of ${key} to ${opts.output}\n`);
        }
        if (!opts.json) return void process.stdout.write(out.text);
        const [, ...lines] = out.text.trimEnd().split('\n');
        const points = lines.map((l) => l.split(',').map(Number)).map(([step, ts, value]) => ({ step, ts, value }));
        process.stdout.write(`${JSON.stringify({ key, points })}\n`);
      });
    });

  runs
    .command('delete <ids...>')
    .description('delete runs for good: their rows, metrics and artifact files (asks first unless --yes)')
    .option('-y, --yes', 'do not ask for confirmation')
    .option('--json', 'machine-readable output')
    .action(async (ids: string[], opts: { yes?: boolean; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        if (!opts.yes) {
          // Show what would go, so the answer is an informed one.
          const found = await Promise.all(ids.map((id) => s.api.runs.get({ id })));
          const files = found.reduce((n, r) => n + r.artifacts.reduce((m, a) => m + a.sizeBytes, 0), 0);
          process.stderr.write(`${found.map((r) => `  ${r.id}  ${r.status}  ${r.model}  ${r.experiment}`).join('\n')}\n`);
          const yes = await confirm(`Delete ${found.length} run${found.length === 1 ? '' : 's'} and their files (about ${bytes(files)}) for good?`);
          if (!yes) {
            process.stderr.write('Nothing deleted.\n');
            process.exitCode = 1;
            return;
          }
        }
        const result = await s.api.runs.delete({ ids });
        if (opts.json) return printJson(result);
        process.stdout.write(`Deleted ${result.deleted} run${result.deleted === 1 ? '' : 's'}, freed ${bytes(result.freedBytes)}.\n`);
      });
    });

  runs
    .command('archive <ids...>')
    .description('hide runs from lists without deleting them (--undo shows them again)')
    .option('--undo', 'unarchive')
    .action(async (ids: string[], opts: { undo?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        for (const id of ids) await s.api.runs.update({ id, archived: !opts.undo });
        process.stdout.write(`${opts.undo ? 'Unarchived' : 'Archived'} ${ids.length} run${ids.length === 1 ? '' : 's'}.\n`);
      });
    });

  runs
    .command('tag <id> <tags...>')
    .description('set tags (key=value; key= removes one) on a run')
    .action(async (id: string, pairs: string[], _opts: unknown, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const tags = { ...(await s.api.runs.get({ id })).tags };
        for (const pair of pairs) {
          const eq = pair.indexOf('=');
          if (eq <= 0) throw new InvalidInput(`A tag is key=value, got ${JSON.stringify(pair)}`, 'tags');
          const key = pair.slice(0, eq);
          const value = pair.slice(eq + 1);
          if (value === '') delete tags[key];
          else tags[key] = value;
        }
        const run = await s.api.runs.update({ id, tags });
        process.stdout.write(`${Object.entries(run.tags).map(([k, v]) => `${k}=${v}`).join('  ') || '(no tags)'}\n`);
      });
    });
}
