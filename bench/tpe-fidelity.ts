/**
 * Trainyard's TPE proposal against Optuna 3.1's TPESampler given the very same history: for fixed
 * histories (30 and 80 completed trials on Branin, Rosenbrock 10-D and the mixed space, made by
 * Trainyard's TPE and scored by the bench objectives), DRAWS independent proposals from each side
 * (a fresh seed per proposal, the history never growing), compared per parameter: the two-sample
 * Kolmogorov-Smirnov statistic and p-value, and for int and categorical parameters a chi-square
 * test and the total-variation distance of the two histograms. A second block of Optuna seeds
 * against the first gives the spread two samples of the same sampler show. The density itself is
 * checked by `parzen-fidelity`; this checks what is built on it (split, weights, candidate draws,
 * truncation, rounding, the choice of the best candidate). TPE_FIDELITY_DRAWS=N changes the count.
 */
import { spawnSync } from 'node:child_process';
import { TEST_OBJECTIVES, TpeSampler, validateSpace, type TestObjective, type TrialView } from '../src/core/hpo';

const DRAWS = Number(process.env.TPE_FIDELITY_DRAWS ?? 2000);
const HISTORIES: readonly [string, number][] = [
  ['branin', 30],
  ['branin', 80],
  ['rosenbrock10', 30],
  ['rosenbrock10', 80],
  ['mixed', 30],
  ['mixed', 80],
];
/** The seed of the Trainyard TPE run that makes each history. */
const HISTORY_SEED = 11;
/** Proposal seeds: Trainyard's from here, Optuna's from 0 and (the second block) from DRAWS. */
const OURS_SEED0 = 500_000;
/** p-values below this, with 2,000 draws a side, count as a real difference. */
const ALPHA = 0.001;

interface Case {
  label: string;
  space: TestObjective['space'];
  trials: { params: Record<string, number | string>; value: number }[];
  ours: Record<string, (number | string)[]>;
}

interface PeerRow {
  param: string;
  kind: 'numeric' | 'int' | 'categorical';
  ks: number;
  ksP: number;
  chiP: number | null;
  tv: number | null;
  /** The same statistics, Optuna's first block of seeds against its second. */
  nullKs: number;
  nullKsP: number;
  nullChiP: number | null;
  nullTv: number | null;
  medianOurs: number | null;
  medianOptuna: number | null;
}

function history(obj: TestObjective, n: number): TrialView[] {
  const sampler = new TpeSampler(validateSpace(obj.space), { direction: 'minimize', seed: HISTORY_SEED });
  const trials: TrialView[] = [];
  for (let i = 0; i < n; i++) {
    const params = sampler.propose(trials)!;
    trials.push({ number: i, status: 'completed', params, value: obj.evaluate(params) });
  }
  return trials;
}

function makeCase(name: string, n: number): Case {
  const obj = TEST_OBJECTIVES.find((o) => o.name === name)!;
  const space = validateSpace(obj.space);
  const trials = history(obj, n);
  const ours: Record<string, (number | string)[]> = Object.fromEntries(space.params.map((p) => [p.name, []]));
  for (let s = 0; s < DRAWS; s++) {
    const a = new TpeSampler(space, { direction: 'minimize', seed: OURS_SEED0 + s }).propose(trials)!;
    for (const p of space.params) ours[p.name].push(a[p.name] as number | string);
  }
  return {
    label: `${name}, ${n} trials`,
    space: obj.space,
    trials: trials.map((t) => ({ params: t.params as Record<string, number | string>, value: t.value as number })),
    ours,
  };
}

const f3 = (v: number | null): string => (v === null ? '-' : v.toFixed(3));
const pv = (v: number | null): string => (v === null ? '-' : v < 1e-4 ? v.toExponential(1) : v.toFixed(4));
const num = (v: number | null): string => (v === null ? '-' : Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4));

export async function tpeFidelity(): Promise<void> {
  const cases = HISTORIES.map(([name, n]) => makeCase(name, n));
  const script = new URL('./tpe_fidelity_optuna.py', import.meta.url).pathname;
  const r = spawnSync('/usr/bin/python3', [script], {
    input: JSON.stringify({ draws: DRAWS, cases }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.status !== 0) {
    process.stdout.write(`peer unavailable (${r.stderr.trim().split('\n').pop()}; apt-get install python3-optuna python3-scipy)\n`);
    return;
  }
  const peer = JSON.parse(r.stdout) as { version: string; rows: PeerRow[][] };
  const lines = [
    `Trainyard's TPE vs Optuna ${peer.version}'s TPESampler (defaults, independent sampling), ${DRAWS} proposals a side from the same`,
    `fixed history (made by Trainyard's TPE, seed ${HISTORY_SEED}), a fresh seed per proposal. KS: two-sample Kolmogorov-Smirnov statistic D and`,
    'p-value; chi2 p and TV (total-variation distance of the histograms) for int and categorical parameters. "Optuna vs Optuna": its',
    `seeds 0..${DRAWS - 1} against ${DRAWS}..${2 * DRAWS - 1}, the spread of two samples of one sampler. Medians on the parameter's own scale.`,
    '',
    '| history | parameter | KS D | KS p | chi2 p | TV | Optuna vs Optuna: KS D | KS p | chi2 p | TV | median: Trainyard | Optuna |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  const flagged: string[] = [];
  let tests = 0;
  cases.forEach((c, i) => {
    for (const row of peer.rows[i]) {
      tests++;
      const p = Math.min(row.ksP, row.chiP ?? 1);
      if (p < ALPHA) flagged.push(`${c.label} ${row.param} (p ${pv(p)})`);
      lines.push(
        `| ${c.label} | ${row.param} | ${f3(row.ks)} | ${pv(row.ksP)} | ${pv(row.chiP)} | ${f3(row.tv)} | ` +
          `${f3(row.nullKs)} | ${pv(row.nullKsP)} | ${pv(row.nullChiP)} | ${f3(row.nullTv)} | ${num(row.medianOurs)} | ${num(row.medianOptuna)} |`,
      );
    }
  });
  const pooled = peer.rows.flat();
  const ksPs = pooled.map((row) => row.ksP);
  const nullPs = pooled.map((row) => row.nullKsP);
  lines.push(
    '',
    `${tests} parameters tested; p < ${ALPHA} (KS or chi2): ${flagged.length ? flagged.join('; ') : 'none'}. ` +
      `Smallest KS p: Trainyard vs Optuna ${pv(Math.min(...ksPs))}, Optuna vs Optuna ${pv(Math.min(...nullPs))}; ` +
      `mean KS D: ${f3(mean(pooled.map((row) => row.ks)))} vs ${f3(mean(pooled.map((row) => row.nullKs)))}.`,
  );
  process.stdout.write(lines.join('\n') + '\n');
}

const mean = (xs: readonly number[]): number => xs.reduce((s, v) => s + v, 0) / xs.length;
