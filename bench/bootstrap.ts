/**
 * Seed-to-seed statistics for comparing two samplers' results: percentile-bootstrap intervals of a
 * median and of the difference of two medians, and the Mann-Whitney view (the chance that a run of
 * one side beats a run of the other). Fixed resampling seeds, so a table prints the same twice.
 */
import { Rng } from '../src/core/hpo';

const DRAWS = 4000;

/** Linear interpolation between order statistics (numpy's default). */
export function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

const median = (xs: readonly number[]): number => quantile(xs, 0.5);

function resample(xs: readonly number[], rng: Rng): number[] {
  return xs.map(() => xs[rng.int(xs.length)]);
}

function percentileInterval(draws: readonly number[], level: number): [number, number] {
  const tail = (1 - level) / 2;
  return [quantile(draws, tail), quantile(draws, 1 - tail)];
}

/** Percentile-bootstrap interval of the median of `xs`. */
export function medianInterval(xs: readonly number[], level = 0.95): [number, number] {
  const rng = new Rng(2024, 1);
  return percentileInterval(
    Array.from({ length: DRAWS }, () => median(resample(xs, rng))),
    level,
  );
}

/** Percentile-bootstrap interval of median(a) - median(b), the seeds of each side resampled independently. */
export function medianGapInterval(a: readonly number[], b: readonly number[], level = 0.95): [number, number] {
  const rng = new Rng(2024, 2);
  return percentileInterval(
    Array.from({ length: DRAWS }, () => median(resample(a, rng)) - median(resample(b, rng))),
    level,
  );
}

/**
 * P(a run of `a` ends lower than a run of `b`), ties counting half: the Mann-Whitney U statistic over
 * |a| x |b|. 0.5 is no difference; with its two-sided p-value from the normal approximation (tie-corrected).
 */
export function chanceLower(a: readonly number[], b: readonly number[]): { p: number; pValue: number } {
  const all = [...a.map((v) => ({ v, side: 0 })), ...b.map((v) => ({ v, side: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Float64Array(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1].v === all[i].v) j++;
    const t = j - i + 1;
    tieTerm += t ** 3 - t;
    for (let k = i; k <= j; k++) ranks[k] = (i + j) / 2 + 1;
    i = j + 1;
  }
  let rankSumB = 0;
  all.forEach((x, i) => {
    if (x.side === 1) rankSumB += ranks[i];
  });
  const n1 = a.length;
  const n2 = b.length;
  // U counts the pairs where b's run is above a's: b's rank sum beyond its least possible.
  const u = rankSumB - (n2 * (n2 + 1)) / 2;
  const n = n1 + n2;
  const sd = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  const z = sd > 0 ? (Math.abs(u - (n1 * n2) / 2) - 0.5) / sd : 0;
  return { p: u / (n1 * n2), pValue: Math.min(1, 2 * normalUpperTail(Math.max(0, z))) };
}

/** P(Z > z) for a standard normal (Abramowitz-Stegun 7.1.26 through erfc, error < 1.5e-7). */
function normalUpperTail(z: number): number {
  const x = z / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return 0.5 * poly * Math.exp(-x * x);
}
