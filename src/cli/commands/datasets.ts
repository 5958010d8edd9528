import type { Command } from 'commander';
import { fileSource } from '../file-source';
import { table } from '../format';
import { printJson, withSession } from './context';
import { datasetId } from './jobs';

export function registerDatasetCommands(program: Command): void {
  const datasets = program.command('datasets').description('import, list, rename and delete datasets');

  datasets
    .command('import <file>')
    .description('import a CSV file (a copy is kept in the data directory)')
    .option('--name <name>', 'dataset name (default: the file name)')
    .option('--json', 'machine-readable output')
    .action(async (file: string, opts: { name?: string; json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const d = await s.api.datasets.import({ source: fileSource(s, file), ...(opts.name ? { name: opts.name } : {}) });
        if (opts.json) return printJson(d);
        process.stdout.write(`Imported ${d.name} (${d.id}): ${d.rows} rows, ${d.columns.length} columns, sha256 ${d.sha256.slice(0, 12)}\n`);
        process.stdout.write(`${table(['column', 'type', 'missing', 'min', 'max'], d.columns.map((c) => [c.name, c.type, c.missing, c.min, c.max]))}\n`);
        // Said now, not when a job fails on it later; imported all the same, since a column with text may not be one a job trains on.
        for (const w of d.warnings) process.stderr.write(`warning: ${w.message}\n`);
      });
    });

  datasets
    .command('list')
    .description('list imported datasets')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const list = await s.api.datasets.list({});
        if (opts.json) return printJson(list);
        if (list.length === 0) return void process.stdout.write('No datasets yet. Import one with `trainyard datasets import FILE`.\n');
        process.stdout.write(
          `${table(['id', 'name', 'rows', 'columns', 'sha256', 'warnings'], list.map((d) => [d.id, d.name, d.rows, d.columns.map((c) => c.name).join(','), d.sha256.slice(0, 12), d.warnings.length]))}\n`,
        );
        const warned = list.filter((d) => d.warnings.length > 0);
        for (const d of warned) for (const w of d.warnings) process.stdout.write(`${d.name}: ${w.message}\n`);
        for (const d of list) if (d.cannotTrain) process.stdout.write(`${d.name}: cannot train: ${d.cannotTrain}\n`);
      });
    });

  datasets
    .command('rename <dataset> <name>')
    .description('give a dataset (its name or id) a new name; runs keep pointing at the same bytes')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, name: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const d = await s.api.datasets.rename({ id: await datasetId(s, ref), name });
        if (opts.json) return printJson(d);
        process.stdout.write(`Renamed ${JSON.stringify(ref)} to ${JSON.stringify(d.name)} (${d.id})\n`);
      });
    });

  datasets
    .command('delete <dataset>')
    .description('delete a dataset and its stored copy (refused while a queued or running job uses it)')
    .option('--json', 'machine-readable output')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const out = await s.api.datasets.delete({ id: await datasetId(s, ref) });
        if (opts.json) return printJson(out);
        process.stdout.write(`Deleted dataset ${out.id} (${out.freedBytes} bytes freed)\n`);
      });
    });

  datasets
    .command('samples')
    .description('list the sample datasets shipped with Trainyard')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const list = await s.api.datasets.samples({});
        if (opts.json) return printJson(list);
        process.stdout.write(`${table(['file', 'title', 'target', 'licence'], list.map((d) => [d.file, d.title, d.target, d.licence]))}\n`);
      });
    });
}
