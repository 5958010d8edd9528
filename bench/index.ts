/**
 * Benchmark runner. Each benchmark measures Trainyard and a peer in the same run and prints the
 * ratio; `npm run bench -- NAME` runs one. Peers come from Debian's packages, run with /usr/bin/python3.
 */
import { anomaly } from './anomaly';
import { command } from './command';
import { gpu } from './gpu';
import { hpo } from './hpo';
import { importLag } from './import-lag';
import { parzenFidelity } from './parzen-fidelity';
import { queue } from './queue';
import { trainMlp } from './train-mlp';
import { trainLstm } from './train-lstm';
import { trainProfile } from './train-profile';
import { quality } from './quality';
import { registry } from './registry';
import { series } from './series';
import { slurm } from './slurm';
import { tpeFidelity } from './tpe-fidelity';
import { tracking } from './tracking';

const BENCHMARKS: Record<string, () => Promise<void>> = {
  anomaly,
  'train-mlp': trainMlp,
  'train-lstm': trainLstm,
  'train-profile': trainProfile,
  quality,
  registry,
  hpo,
  'parzen-fidelity': parzenFidelity,
  'tpe-fidelity': tpeFidelity,
  queue,
  tracking,
  'import-lag': importLag,
  series,
  slurm,
  command,
  gpu,
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !(w in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}\n`);
  process.exit(2);
}
for (const name of wanted.length ? wanted : Object.keys(BENCHMARKS)) {
  process.stdout.write(`\n## ${name}\n`);
  await BENCHMARKS[name]();
}
