/** Small readings of intermediate-value curves shared by the pruners. */
import type { Direction, TrialView } from '../types';

/** The value reported at exactly `step`, if any. Curves are in step order, so a binary search. */
export function valueAt(t: TrialView, step: number): number | undefined {
  const c = t.intermediate;
  if (!c || c.length === 0) return undefined;
  let lo = 0;
  let hi = c.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid].step === step) return c[mid].value;
    if (c[mid].step < step) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** The first value reported at or after `step` (the value a trial had when it reached a rung). */
export function firstValueFrom(t: TrialView, step: number): number | undefined {
  const c = t.intermediate;
  if (!c) return undefined;
  let lo = 0;
  let hi = c.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid].step < step) lo = mid + 1;
    else hi = mid;
  }
  return lo < c.length ? c[lo].value : undefined;
}

/** The best value so far (ignoring NaN); NaN when there is none. */
export function bestSoFar(t: TrialView, direction: Direction): number {
  let best = NaN;
  for (const { value } of t.intermediate ?? []) {
    if (Number.isNaN(value)) continue;
    if (Number.isNaN(best) || (direction === 'minimize' ? value < best : value > best)) best = value;
  }
  return best;
}

/** `a` is strictly worse than `b` for this direction. */
export const isWorse = (a: number, b: number, direction: Direction): boolean => (direction === 'minimize' ? a > b : a < b);

export function median(values: number[]): number {
  const s = values.sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
