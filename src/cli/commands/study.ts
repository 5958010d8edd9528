/**
 * `trainyard study ...`: create a study from a JSON file, follow it, show its best trial and
 * parameter importance, export its trials. The trials run as jobs through the queue; `study wait`
 * runs the queue here when no server does, as `jobs wait` does.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import type { StudyCreateInput, StudySummary } from '../../shared/contract';
import { InvalidInput, NotFound } from '../../shared/errors';
import { duration, num, table, time } from '../format';
import type { Session } from '../session';
import { printJson, withSession } from './context';
import { registerAndPrint, withRegisterOptions } from './models-registry';

/** A dataset given as `sample:<file>` is one of the bundled samples, imported on first use. */
const SAMPLE_PREFIX = 'sample:';

/** Reads a StudyCreateInput from a file; the contract checks it when it is sent. */
export function readSpecFile(file: string): StudyCreateInput {
  let text: string;
  try {
    text = readFileSync(resolve(file), 'utf8');
  } catch (err) {
    throw new InvalidInput(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, 'file');
  }
  try {
    return JSON.parse(text) as StudyCreateInput;
  } catch (err) {
    throw new InvalidInput(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`, 'file');
  }
}

/** The dataset id for `train.datasetId`: an id, a dataset's name, or `sample:<file>` (imported here if need be). */
export async function resolveDataset(s: Session, ref: string): Promise<string> {
  if (ref.startsWith(SAMPLE_PREFIX)) {
    const file = ref.slice(SAMPLE_PREFIX.length);
    const samples = await s.api.datasets.samples({});
    if (!samples.some((x) => x.file === file)) {
      throw new InvalidInput(`No bundled sample named ${JSON.stringify(file)} (samples: ${samples.map((x) => x.file).join(', ')})`, 'train.datasetId');
    }
    // Importing a sample twice returns the dataset already there.
    return (await s.api.datasets.import({ source: { kind: 'sample', file } })).id;
  }
  const all = await s.api.datasets.list({});
  const d = all.find((x) => x.id === ref) ?? all.find((x) => x.name === ref);
  if (!d) throw new NotFound('Dataset', JSON.stringify(ref));
  return d.id;
}

function countsText(s: StudySummary): string {
  const c = s.counts;
  return `${c.completed} completed, ${c.pruned} pruned, ${c.failed} failed, ${c.running} running`;
}

function budgetText(s: StudySummary): string {
  const b = s.spec.budget;
  return [b.trials !== undefined ? `${b.trials} trials` : null, b.seconds !== undefined ? duration(b.seconds * 1000) : null].filter(Boolean).join(' or ');
}

const paramsText = (p: Record<string, unknown>) =>
  Object.entries(p)
    .map(([k, v]) => `${k}=${typeof v === 'number' ? num(v) : String(v)}`)
    .join(' ');

/** The warning a study that optimises a test metric carries wherever it is shown. */
export function testObjectiveWarning(s: Pick<StudySummary, 'spec'>): string | null {
  return s.spec.allowTestObjective ? `WARNING: this study selects on the test split (${s.spec.objective.metric}); its test scores overstate the chosen model` : null;
}

export function describeStudy(s: StudySummary, importance: { param: string; importance: number }[]): string {
  const sp = s.spec;
  const warning = testObjectiveWarning(s);
  const lines = [
    `study ${s.id}  ${s.name}  ${s.status}`,
    ...(s.status === 'failed' ? [`failed: ${s.failureReason ?? 'no reason was recorded'}`] : []),
    ...(warning ? [warning] : []),
    `objective ${sp.objective.direction} ${sp.objective.metric}  sampler ${sp.sampler.type}  pruner ${sp.pruner.type}  budget ${budgetText(s)}  in flight ${sp.parallelism}  seed ${sp.seed}`,
    s.train.kind === 'command'
      ? `runs ${JSON.stringify(s.train.argv)}  priority ${s.priority}  experiment ${s.train.experiment}`
      : `trains ${s.train.model} → ${s.train.target} on dataset ${s.train.datasetId}  priority ${s.priority}  experiment ${s.train.experiment}`,
    `trials ${countsText(s)}${s.intermediateKey ? `  intermediate values: ${s.intermediateKey} per epoch` : ''}`,
    `created ${time(s.createdAt)}  finished ${time(s.finishedAt)}`,
    s.best ? `best trial #${s.best.number}: ${sp.objective.metric} = ${num(s.best.value)}  ${paramsText(s.best.params)}` : 'best trial -',
  ];
  if (importance.length > 0) {
    lines.push('', 'parameter importance (fANOVA):', table(['param', 'importance'], importance.map((r) => [r.param, `${(r.importance * 100).toFixed(1)}%`])));
  }
  return lines.join('\n');
}

/** One line on stderr: a bar of trials done against the trial budget, and the best value so far. */
class StudyProgress {
  private last = '';
  private readonly tty = Boolean(process.stderr.isTTY);

  update(s: StudySummary): void {
    const done = s.counts.completed + s.counts.pruned + s.counts.failed;
    const total = s.spec.budget.trials;
    const best = s.best ? `  best ${num(s.best.value)} (#${s.best.number})` : '';
    const text = `${done}${total !== undefined ? `/${total}` : ''} trials done, ${s.counts.running} running${best}  ${s.status}`;
    if (this.tty) {
      const width = 30;
      const filled = total ? Math.round(Math.min(1, done / total) * width) : 0;
      process.stderr.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${text}\x1b[K`);
    } else if (text !== this.last) {
      process.stderr.write(`${text}\n`);
    }
    this.last = text;
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}

/** Resolves with the study once it has left `running`, reporting every change (events, with a slow poll as a safety net). */
async function waitForStudy(s: Session, id: string, onUpdate: (study: StudySummary) => void): Promise<StudySummary> {
  const first = await s.api.studies.get({ id });
  onUpdate(first);
  if (first.status !== 'running') return first;
  return new Promise<StudySummary>((resolvePromise, reject) => {
    const settle = (study: StudySummary) => {
      onUpdate(study);
      if (study.status !== 'running') {
        off();
        clearInterval(poll);
        resolvePromise(study);
      }
    };
    const off = s.on('study.updated', (study) => {
      if (study.id === id) settle(study);
    });
    const poll = setInterval(() => {
      s.api.studies.get({ id }).then(settle, (err: unknown) => {
        off();
        clearInterval(poll);
        reject(err);
      });
    }, 2000);
  });
}

interface StudyEnd {
  summary: StudySummary;
  importance: { param: string; importance: number }[];
}

/** Waits for the study with a progress bar, then reads its importance. */
async function followStudy(s: Session, id: string): Promise<StudyEnd> {
  const bar = new StudyProgress();
  const summary = await waitForStudy(s, id, (x) => bar.update(x));
  bar.done();
  return { summary, importance: await s.api.studies.importance({ id }) };
}

function reportEnd(end: StudyEnd, json?: boolean): void {
  if (json) printJson({ ...end.summary, importance: end.importance });
  else process.stdout.write(`${describeStudy(end.summary, end.importance)}\n`);
  if (end.summary.status !== 'completed') process.exitCode = 1;
}

export function registerStudyCommands(program: Command): void {
  const study = program.command('study').description('hyperparameter studies: trials run as training jobs through the queue');

  study
    .command('create')
    .description('create a study from a JSON file ({ spec, train, priority, enqueue }); train.datasetId may be a name or sample:<file>')
    .requiredOption('-f, --file <SPEC.json>', 'the study to create')
    .option('--wait', 'then wait for it to end, as `study wait` does')
    .option('--cluster <name>', "run the trials on this cluster target, up to the spec's parallelism at once")
    .option('--json', 'machine-readable output')
    .action(async (opts: { file: string; wait?: boolean; cluster?: string; json?: boolean }, cmd: Command) => {
      const input = readSpecFile(opts.file);
      if (opts.cluster) input.cluster = opts.cluster;
      const end = await withSession(cmd, { scheduler: Boolean(opts.wait) }, async (s) => {
        const train = input.train;
        if (train?.kind === 'train' && typeof train.datasetId === 'string') input.train = { ...train, datasetId: await resolveDataset(s, train.datasetId) };
        // A command's relative paths (train.py) mean what they mean beside the spec file.
        if (train?.kind === 'command' && !train.cwd) input.train = { ...train, cwd: dirname(resolve(opts.file)) };
        const created = await s.api.studies.create(input);
        if (!opts.json) {
          process.stdout.write(`Created study ${created.id} (${created.name}): ${budgetText(created)}, ${created.spec.parallelism} in flight.\n`);
          const warning = testObjectiveWarning(created);
          if (warning) process.stderr.write(`${warning}\n`);
        }
        if (!opts.wait) {
          if (opts.json) printJson(created);
          else if (s.local) process.stdout.write(`Its trials run while Trainyard runs the queue: \`trainyard study wait ${created.id}\` (or \`trainyard serve\`).\n`);
          return null;
        }
        return followStudy(s, created.id);
      });
      if (end) reportEnd(end, opts.json);
    });

  study
    .command('list')
    .description('list studies, newest first')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const studies = await s.api.studies.list({});
        if (opts.json) return printJson(studies);
        if (studies.length === 0) return void process.stdout.write('No studies yet: `trainyard study create -f SPEC.json`.\n');
        const rows = studies.map((x) => [
          x.id,
          x.name,
          x.status,
          `${x.counts.completed}/${x.counts.pruned}/${x.counts.failed}/${x.counts.running}`,
          x.best ? num(x.best.value) : null,
          `${x.spec.objective.direction === 'minimize' ? 'min' : 'max'} ${x.spec.objective.metric}${x.spec.allowTestObjective ? ' (selects on test!)' : ''}`,
          time(x.createdAt),
        ]);
        process.stdout.write(`${table(['ID', 'NAME', 'STATUS', 'DONE/PRUNED/FAILED/RUNNING', 'BEST', 'OBJECTIVE', 'CREATED'], rows)}\n`);
        for (const x of studies.filter((y) => y.status === 'failed')) process.stdout.write(`${x.id} failed: ${x.failureReason ?? 'no reason was recorded'}\n`);
      });
    });

  study
    .command('show <id>')
    .description('a study: its objective, trial counts, best trial and parameter importance')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const summary = await s.api.studies.get({ id });
        const importance = await s.api.studies.importance({ id });
        if (opts.json) return printJson({ ...summary, importance });
        process.stdout.write(`${describeStudy(summary, importance)}\n`);
      });
    });

  study
    .command('wait <id>')
    .description('wait for a study to end, with a progress bar; runs the queue here if no server does')
    .option('--json', 'machine-readable output')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      reportEnd(await withSession(cmd, { scheduler: true }, (s) => followStudy(s, id)), opts.json);
    });

  withRegisterOptions(study.command('register <id>').description("register the study's best completed trial as version N+1 of a model")).action(
    async (id: string, opts: { name: string; description?: string; tag?: Record<string, string>; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, (s) => registerAndPrint(s, { studyId: id }, opts));
    },
  );

  study
    .command('export <id>')
    .description("a study's trials, one row per trial and one column per parameter")
    .addOption(new Option('--format <format>', 'file format').choices(['csv', 'json']).default('csv'))
    .option('-o, --output <file>', 'write here instead of to stdout')
    .action(async (id: string, opts: { format: 'csv' | 'json'; output?: string }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await s.api.studies.export({ id, format: opts.format });
        if (!opts.output) return void process.stdout.write(out.text);
        writeFileSync(resolve(opts.output), out.text);
        process.stdout.write(`Wrote ${out.count} trials to ${opts.output}\n`);
      });
    });
}
