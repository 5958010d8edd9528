/**
 * What the forecast metrics table shows, from a run's summary: per split (test, the headline, then
 * validation, what model selection used) one row for the model and one per baseline scored on the
 * same targets (naive last value, seasonal naive), and a verdict in words that says by how much the
 * model beats the naive forecast (skill, in %), or that the difference is within noise.
 */

export interface MetricColumn {
  key: 'mae' | 'rmse' | 'mape' | 'r2';
  label: string;
  unit: string;
  higherIsBetter: boolean;
}

export const METRIC_COLUMNS: MetricColumn[] = [
  { key: 'mae', label: 'MAE', unit: '', higherIsBetter: false },
  { key: 'rmse', label: 'RMSE', unit: '', higherIsBetter: false },
  { key: 'mape', label: 'MAPE (%)', unit: ' %', higherIsBetter: false },
  { key: 'r2', label: 'R²', unit: '', higherIsBetter: true },
];

/** A skill this close to zero (RMSE within 2% of the baseline's) is not evidence either way. */
export const NOISE_SKILL = 0.02;

export type SeriesKind = 'model' | 'naive' | 'seasonal_naive';

export interface MetricsRow {
  kind: SeriesKind;
  /** The summary prefix: `test`, `naive`, `seasonal_naive`, `val`, `naive.val`, `seasonal_naive.val`. */
  prefix: string;
  label: string;
  values: Record<MetricColumn['key'], number | undefined>;
  /** 1 - RMSE / naive RMSE on the same split; null for the naive row itself or without both RMSEs. */
  skill: number | null;
  /** The columns where this row holds the best value of its split. */
  best: Set<MetricColumn['key']>;
}

export interface MetricsSplit {
  split: 'test' | 'validation';
  rows: MetricsRow[];
}

const SERIES: { kind: SeriesKind; label: string; test: string; validation: string }[] = [
  { kind: 'model', label: 'Model', test: 'test', validation: 'val' },
  { kind: 'naive', label: 'Naive (last value)', test: 'naive', validation: 'naive.val' },
  { kind: 'seasonal_naive', label: 'Seasonal naive', test: 'seasonal_naive', validation: 'seasonal_naive.val' },
];

const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);

function skillOf(rmse: number | undefined, naiveRmse: number | undefined): number | null {
  return finite(rmse) && finite(naiveRmse) && naiveRmse > 0 ? 1 - rmse / naiveRmse : null;
}

/** The rows of one split that the run recorded (a baseline without a single value is left out). */
function splitRows(summary: Record<string, number>, split: 'test' | 'validation'): MetricsRow[] {
  const rows: MetricsRow[] = [];
  for (const s of SERIES) {
    const prefix = s[split];
    const values = Object.fromEntries(METRIC_COLUMNS.map((c) => [c.key, summary[`${prefix}.${c.key}`]])) as MetricsRow['values'];
    if (!METRIC_COLUMNS.some((c) => finite(values[c.key]))) continue;
    rows.push({ kind: s.kind, prefix, label: s.label, values, skill: null, best: new Set() });
  }
  const naive = rows.find((r) => r.kind === 'naive');
  for (const r of rows) {
    if (r.kind !== 'naive') r.skill = skillOf(r.values.rmse, naive?.values.rmse);
  }
  // The model's recorded skill, where there is one, is the number of record.
  const model = rows.find((r) => r.kind === 'model');
  const recorded = split === 'test' ? (summary['test.skill'] ?? summary['skill.naive']) : summary['val.skill'];
  if (model && finite(recorded)) model.skill = recorded;
  for (const c of METRIC_COLUMNS) {
    const values = rows.map((r) => r.values[c.key]).filter(finite);
    if (values.length < 2) continue;
    const best = c.higherIsBetter ? Math.max(...values) : Math.min(...values);
    for (const r of rows) if (r.values[c.key] === best) r.best.add(c.key);
  }
  return rows;
}

/** Test first (the headline), then validation; a split with no model row is left out. */
export function metricsSplits(summary: Record<string, number>): MetricsSplit[] {
  return (['test', 'validation'] as const)
    .map((split) => ({ split, rows: splitRows(summary, split) }))
    .filter((s) => s.rows.some((r) => r.kind === 'model'));
}

/** A skill as a signed percentage of the baseline's RMSE: 0.153 reads "15.3%". */
export function skillPercent(skill: number): string {
  const pct = Math.abs(skill) * 100;
  return `${pct >= 10 ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

function against(skill: number, baseline: string): string {
  if (Math.abs(skill) < NOISE_SKILL) return `is within noise of the ${baseline} forecast (RMSE ${skill >= 0 ? 'below' : 'above'} it by ${skillPercent(skill)}, under ${NOISE_SKILL * 100}%)`;
  return skill > 0 ? `beats the ${baseline} forecast by ${skillPercent(skill)} (RMSE below it; skill ${skill.toFixed(3)})` : `is worse than the ${baseline} forecast by ${skillPercent(skill)} (RMSE above it; skill ${skill.toFixed(3)})`;
}

/** The verdict in words, on the test split: by how much the model beats each baseline, or that it is within noise. */
export function metricsVerdict(splits: MetricsSplit[]): string {
  const test = splits.find((s) => s.split === 'test');
  if (!test) return 'No test metrics were recorded for this run.';
  const model = test.rows.find((r) => r.kind === 'model');
  const parts: string[] = [];
  if (model?.skill !== null && model?.skill !== undefined) parts.push(against(model.skill, 'naive last-value'));
  const seasonal = test.rows.find((r) => r.kind === 'seasonal_naive');
  const modelRmse = model?.values.rmse;
  const seasonalSkill = seasonal && finite(modelRmse) ? skillOf(modelRmse, seasonal.values.rmse) : null;
  if (seasonalSkill !== null) parts.push(against(seasonalSkill, 'seasonal-naive'));
  if (parts.length === 0) return 'No baseline was scored on the test split, so there is nothing to compare the model with.';
  return `On the test split the model ${parts.join(', and ')}.`;
}
