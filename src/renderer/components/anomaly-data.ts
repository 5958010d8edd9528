/**
 * What the anomaly run page draws and tabulates, from the run's series and summary: the test rows'
 * values with the flagged rows marked and the labelled windows to shade, the metrics table (point-wise
 * and event figures, validation and test, beside a random scorer), and how the threshold was chosen.
 */
import type { MetricPoint, Run } from '../../shared/contract';
import { SCORE_KEYS } from './chart-data';

/** Series an anomaly run records for each test row (step = row): beside the score and label, the value and whether it was flagged. */
export const ANOMALY_SERIES = { ...SCORE_KEYS, value: 'scores.value', flagged: 'scores.flagged' } as const;

export interface LabelledWindow {
  /** First and last row of a run of labelled rows. */
  from: number;
  to: number;
}

export interface AnomalySeries {
  /** x: row; the value; the value again where the row is flagged (else null). */
  data: [number[], number[], (number | null)[]];
  windows: LabelledWindow[];
  flagged: number;
}

/** Runs of consecutive points labelled 1 (the series may be downsampled: consecutive points, not rows). */
export function labelledWindows(label: readonly MetricPoint[] | undefined): LabelledWindow[] {
  const out: LabelledWindow[] = [];
  let open: LabelledWindow | null = null;
  for (const p of label ?? []) {
    if (p.value >= 0.5) {
      if (open) open.to = p.step;
      else open = { from: p.step, to: p.step };
    } else if (open) {
      out.push(open);
      open = null;
    }
  }
  if (open) out.push(open);
  return out;
}

/**
 * The test rows' values with the flagged ones marked. Value and flag series are downsampled apart
 * on the core, so a flag is placed on the nearest value point at or after its row.
 */
export function anomalySeriesData(series: Record<string, MetricPoint[]>): AnomalySeries | null {
  const value = series[ANOMALY_SERIES.value];
  if (!value?.length) return null;
  const x = value.map((p) => p.step);
  const y = value.map((p) => p.value);
  const marks: (number | null)[] = x.map(() => null);
  let flagged = 0;
  let j = 0;
  for (const f of series[ANOMALY_SERIES.flagged] ?? []) {
    if (f.value < 0.5) continue;
    while (j < x.length - 1 && x[j] < f.step) j++;
    if (marks[j] === null) flagged++;
    marks[j] = y[j];
  }
  return { data: [x, y, marks], windows: labelledWindows(series[ANOMALY_SERIES.label]), flagged };
}

export interface AnomalyMetricRow {
  key: string;
  label: string;
  /** Better when higher (precision), lower (detection delay), or neither (a count). */
  better: 'higher' | 'lower' | null;
  val: number | undefined;
  test: number | undefined;
  random: number | undefined;
}

const ROWS: { key: string; label: string; better: AnomalyMetricRow['better']; random?: string }[] = [
  { key: 'precision', label: 'Precision', better: 'higher' },
  { key: 'recall', label: 'Recall', better: 'higher' },
  { key: 'f1', label: 'F1', better: 'higher', random: 'random.f1' },
  { key: 'roc_auc', label: 'ROC-AUC', better: 'higher', random: 'random.roc_auc' },
  { key: 'pr_auc', label: 'PR-AUC', better: 'higher', random: 'random.pr_auc' },
  { key: 'event_recall', label: 'Event recall (any row of a labelled window flagged)', better: 'higher' },
  { key: 'events_detected', label: 'Events detected', better: null },
  { key: 'events', label: 'Labelled events', better: null },
  { key: 'detection_delay', label: 'Detection delay (rows from an event’s start to its first flag)', better: 'lower' },
  { key: 'flagged', label: 'Rows flagged', better: null },
  { key: 'flagged_share', label: 'Share of rows flagged', better: null },
];

/** The table's rows that have a figure in any column. */
export function anomalyMetricRows(summary: Record<string, number>): AnomalyMetricRow[] {
  return ROWS.map((r) => ({
    key: r.key,
    label: r.label,
    better: r.better,
    val: summary[`val.${r.key}`],
    test: summary[`test.${r.key}`],
    random: r.random ? summary[r.random] : undefined,
  })).filter((r) => r.val !== undefined || r.test !== undefined);
}

/** How the run's threshold was chosen, in words, from the params it recorded. */
export function thresholdText(run: Pick<Run, 'params' | 'summary'>): string {
  const p = run.params;
  const chosen = p.thresholdChosenBy ?? p.threshold;
  const pct = (v: unknown) => (typeof v === 'number' ? `${Math.round(v * 10000) / 100}%` : '?');
  const rule =
    chosen === 'best_f1'
      ? 'the best F1 on the validation rows’ labels'
      : chosen === 'contamination'
        ? `contamination ${pct(p.contamination)}: the ${pct(typeof p.contamination === 'number' ? 1 - p.contamination : undefined)} quantile of the training rows’ scores`
        : chosen === 'quantile'
          ? `the ${pct(p.quantile)} quantile of the validation rows’ scores${p.threshold === 'auto' ? ' (no labelled validation anomalies for the best-F1 rule)' : ''}`
          : 'not recorded';
  return `${rule} (rule “${String(p.threshold ?? '?')}”)`;
}
