/** What Compare derives from the core's answers: which metrics can be overlaid, which value is best. */
import type { MetricSeries } from '../../shared/contract';

/** Keys with a curve (two or more points) in at least one run; system samples last. */
export function overlayKeys(series: Record<string, MetricSeries[]>): string[] {
  const keys = new Set<string>();
  for (const list of Object.values(series)) for (const s of list) if (s.points.length >= 2 && !s.key.startsWith('predictions.')) keys.add(s.key);
  return [...keys].sort((a, b) => Number(a.startsWith('sys.')) - Number(b.startsWith('sys.')) || a.localeCompare(b));
}

/** Metrics where higher is better; every other metric (errors, losses) is better lower. */
const HIGHER_IS_BETTER = /(?:^|\.)(?:r2|accuracy|precision|recall|f1|auc|auroc|auprc)$|^skill\./;

/** The best of a row's values, or null when there is nothing to choose (fewer than two values, or all equal). */
export function bestValue(key: string, values: (number | null)[]): number | null {
  const finite = values.filter((v): v is number => v !== null && Number.isFinite(v));
  if (finite.length < 2) return null;
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  if (lo === hi) return null;
  return HIGHER_IS_BETTER.test(key) ? hi : lo;
}
