/**
 * Trainyard's Parzen estimator against Optuna 3.1's own `_ParzenEstimator` on the same inputs: for
 * random observations and points in float, log-float, int, stepped, log-int and categorical
 * dimensions (alone, all together, univariate and joint), the largest gap between the two log
 * densities and between the two sets of kernel bandwidths. Optuna's defaults on both sides (prior
 * weight 1, old observations faded). Prints the table; RESULTS.md's hpo section quotes it.
 */
import { spawnSync } from 'node:child_process';
import { Rng, validateSpace } from '../src/core/hpo';
import { codecFor, sampleUniform } from '../src/core/hpo/samplers/codec';
import { ParzenEstimator } from '../src/core/hpo/samplers/parzen';
import type { SearchSpaceInput } from '../src/shared/contract';

const DIMS: SearchSpaceInput = {
  x: { type: 'float', low: -5, high: 5 },
  lr: { type: 'float', low: 1e-4, high: 1, log: true },
  units: { type: 'int', low: 0, high: 20 },
  stepped: { type: 'float', low: 0, high: 1, step: 0.1 },
  width: { type: 'int', low: 1, high: 64, log: true },
  act: { type: 'categorical', choices: ['relu', 'tanh', 'sigmoid'] },
};
const COUNTS = [0, 1, 2, 3, 5, 24, 25, 26, 40, 90];
const POINTS = 30;

interface Case {
  label: string;
  space: SearchSpaceInput;
  multivariate: boolean;
  observations: Record<string, number[]>;
  points: Record<string, number[]>;
}

interface PeerCase {
  logPdf: number[];
  sigmas: Record<string, number[]>;
}

function makeCases(): Case[] {
  const rng = new Rng(7);
  const names = Object.keys(DIMS);
  const groups: [string, string[], boolean][] = [
    ...names.map((n): [string, string[], boolean] => [n, [n], false]),
    ['all, univariate', names, false],
    ['all, joint', names, true],
  ];
  const cases: Case[] = [];
  for (const [label, group, multivariate] of groups) {
    const space = Object.fromEntries(group.map((n) => [n, DIMS[n]]));
    const params = validateSpace(space).params;
    // Categorical values travel as the index of their choice, as Optuna stores them.
    const draw = (count: number): Record<string, number[]> =>
      Object.fromEntries(
        params.map((p) => {
          const codec = codecFor(p);
          return [p.name, Array.from({ length: count }, () => {
            const v = sampleUniform(p, rng);
            return codec.kind === 'categorical' ? codec.encode(v) : (v as number);
          })];
        }),
      );
    for (const count of COUNTS) cases.push({ label, space, multivariate, observations: draw(count), points: draw(POINTS) });
  }
  return cases;
}

/** Trainyard's log density at the case's points and its bandwidths, per numeric dimension. */
function ours(c: Case): PeerCase {
  const params = validateSpace(c.space).params;
  const codecs = params.map(codecFor);
  const internal = (values: Record<string, number[]>): Float64Array[] =>
    params.map((p, d) => Float64Array.from(values[p.name], (v) => (codecs[d].kind === 'categorical' ? v : codecs[d].encode(v))));
  const pe = new ParzenEstimator(codecs, internal(c.observations), { priorWeight: 1, multivariate: c.multivariate, ageDecay: true });
  const dims = (pe as unknown as { dims: { kind: string; sigmas?: Float64Array }[] }).dims;
  const sigmas: Record<string, number[]> = {};
  params.forEach((p, d) => {
    const s = dims[d].sigmas;
    if (s) sigmas[p.name] = Array.from(s);
  });
  return { logPdf: Array.from(pe.logScore(internal(c.points), POINTS)), sigmas };
}

const maxGap = (a: readonly number[], b: readonly number[]): number => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

export async function parzenFidelity(): Promise<void> {
  const cases = makeCases();
  const script = new URL('./parzen_fidelity_optuna.py', import.meta.url).pathname;
  const r = spawnSync('/usr/bin/python3', [script], { input: JSON.stringify(cases), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) {
    process.stdout.write(`peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-optuna)\n`);
    return;
  }
  const peer = JSON.parse(r.stdout) as { version: string; plain: PeerCase[]; stable: PeerCase[] };
  const rows = new Map<string, number[]>();
  cases.forEach((c, i) => {
    const mine = ours(c);
    const gaps = [peer.plain, peer.stable].flatMap((side) => [
      maxGap(mine.logPdf, side[i].logPdf),
      Object.keys(side[i].sigmas).reduce((m, n) => Math.max(m, maxGap(mine.sigmas[n], side[i].sigmas[n])), 0),
    ]);
    const row = rows.get(c.label) ?? [0, 0, 0, 0];
    rows.set(c.label, row.map((v, k) => Math.max(v, gaps[k])));
  });
  const e = (v: number): string => (v === 0 ? '0' : v.toExponential(1));
  const lines = [
    `Trainyard's Parzen estimator vs Optuna ${peer.version}'s _ParzenEstimator, ${COUNTS.length} observation counts (${COUNTS.join(', ')}) x ${POINTS} points per row:`,
    'largest |gap| of the log density and of the bandwidths (internal scale). "numpy order": Optuna as it runs (Trainyard orders tied',
    'observations as numpy\'s argsort does too); "stable order": Optuna with its argsort made stable, tied observations (repeated int,',
    'stepped or log-int values) in chronological order, as Trainyard ordered them before: the gap that order makes',
    '',
    '| dimensions | log density, numpy order | bandwidths, numpy order | log density, stable order | bandwidths, stable order |',
    '| --- | --- | --- | --- | --- |',
    ...[...rows].map(([label, g]) => `| ${label} | ${g.map(e).join(' | ')} |`),
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
