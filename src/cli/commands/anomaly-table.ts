/** `runs show` for an anomaly run: its threshold and the anomaly metrics, validation and test, beside a random scorer. */
import type { Run } from '../../shared/contract';
import { num, table } from '../format';

const ROWS: [key: string, label: string, random?: string][] = [
  ['precision', 'precision'],
  ['recall', 'recall'],
  ['f1', 'F1', 'random.f1'],
  ['roc_auc', 'ROC-AUC', 'random.roc_auc'],
  ['pr_auc', 'PR-AUC', 'random.pr_auc'],
  ['event_recall', 'event recall'],
  ['events_detected', 'events detected'],
  ['events', 'labelled events'],
  ['detection_delay', 'detection delay (rows)'],
  ['flagged', 'rows flagged'],
];

export function isAnomalyRun(run: Run): boolean {
  return 'threshold' in run.summary;
}

export function anomalyMetricsText(run: Run): string {
  const s = run.summary;
  const rows = ROWS.filter(([k]) => s[`val.${k}`] !== undefined || s[`test.${k}`] !== undefined).map(([k, label, random]) => [
    label,
    num(s[`val.${k}`]),
    num(s[`test.${k}`]),
    random ? num(s[random]) : '-',
  ]);
  const chosen = run.params.thresholdChosenBy ?? run.params.threshold ?? '-';
  return [`threshold ${num(s.threshold)} (chosen by ${String(chosen)}; rule ${String(run.params.threshold ?? '-')})`, table(['', 'validation', 'test', 'random scorer'], rows)].join('\n');
}
