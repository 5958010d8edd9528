/** What Compare derives from the core's answers: which metrics can be overlaid, which value is best. */
import type { MetricSeries } from '../../shared/contract';

/** Keys with a curve (two or more points) in at least one run; system samples last. */
export function overlayKeys(series: Record<string, MetricSeries[]>): string[] {
  const keys = new Set<string>();
  for (const list of Object.values(series)) for (const s of list) if (s.points.length >= 2 && !s.key.startsWith('predictions.')) keys.add(s.key);
  return [...keys].sort((a, b) => Number(a.startsWith('sys.')) - Number(b.startsWith('sys.')) || a.localeCompare(b));
}

/**
 * Whether a summary key is a metric of the model, comparable across runs: not the last test
 * prediction (`predictions.*`, a value of the series, not a score) nor a system sample (`sys.*`).
 */
export function isModelMetric(key: string): boolean {
  return !key.startsWith('predictions.') && !key.startsWith('sys.');
}

/** What the compared runs do not share: their datasets, and the targets where their jobs are known. */
export interface MixedInputs {
  datasets: string[];
  targets: string[];
}

/** The distinct datasets and targets of the runs when there is more than one of either; null when they agree. */
export function mixedInputs(runs: { datasetId: string | null; target: string | null }[]): MixedInputs | null {
  const datasets = [...new Set(runs.map((r) => r.datasetId).filter((d): d is string => d !== null))];
  const targets = [...new Set(runs.map((r) => r.target).filter((t): t is string => t !== null))];
  return datasets.length > 1 || targets.length > 1 ? { datasets, targets } : null;
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
