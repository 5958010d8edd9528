/**
 * The metric keys a model family's runs may record, by task. A study's objective must be one of
 * them (an objective no run reports would fail every trial), and whether it is measured on the
 * validation or the test split decides whether a study may select on it: model selection decides
 * on validation, the test split is reported, never optimised.
 *
 * Each family declares its keys with one call: `forecastMetricKeys({ perEpoch: true })` for a
 * network trained epoch by epoch (it also reports `loss` and `val_loss` per epoch), `perEpoch:
 * false` for a model fitted in one go.
 */
import type { Direction, MetricKey, MetricSplit, StudyObjective } from '../../shared/contract';

const REGRESSION: [string, Direction][] = [
  ['mae', 'minimize'],
  ['rmse', 'minimize'],
  ['mape', 'minimize'],
  ['r2', 'maximize'],
];

const ANOMALY_VALIDATION: [string, Direction][] = [
  ['precision', 'maximize'],
  ['recall', 'maximize'],
  ['f1', 'maximize'],
  ['roc_auc', 'maximize'],
  ['pr_auc', 'maximize'],
  ['event_recall', 'maximize'],
];

const ANOMALY_TEST: [string, Direction][] = [
  ...ANOMALY_VALIDATION,
  ['flagged', 'minimize'],
  ['flagged_share', 'minimize'],
  ['events', 'maximize'],
  ['events_detected', 'maximize'],
  ['detection_delay', 'minimize'],
];

const keys = (prefix: string, split: MetricSplit, list: [string, Direction][]): MetricKey[] =>
  list.map(([name, direction]) => ({ key: `${prefix}.${name}`, direction, split, perEpoch: false }));

/** `loss` and `val_loss`, per epoch: only networks trained epoch by epoch report them. */
function epochKeys(): MetricKey[] {
  return [
    { key: 'val_loss', direction: 'minimize', split: 'validation', perEpoch: true },
    { key: 'loss', direction: 'minimize', split: 'train', perEpoch: true },
  ];
}

/** What a forecast run records: the model and its baselines on validation and test, on the original scale. */
export function forecastMetricKeys({ perEpoch }: { perEpoch: boolean }): MetricKey[] {
  const skill = (key: string, split: MetricSplit): MetricKey => ({ key, direction: 'maximize', split, perEpoch: false });
  return [
    ...keys('val', 'validation', REGRESSION),
    skill('val.skill', 'validation'),
    ...keys('naive.val', 'validation', REGRESSION),
    ...keys('seasonal_naive.val', 'validation', REGRESSION),
    ...(perEpoch ? epochKeys() : []),
    ...keys('test', 'test', REGRESSION),
    skill('test.skill', 'test'),
    ...keys('naive', 'test', REGRESSION),
    ...keys('seasonal_naive', 'test', REGRESSION),
    skill('skill.naive', 'test'),
    skill('skill.seasonal_naive', 'test'),
  ];
}

/** What an anomaly run records: validation scores when validation rows have labels, test scores and event metrics. */
export function anomalyMetricKeys({ perEpoch }: { perEpoch: boolean }): MetricKey[] {
  return [...keys('val', 'validation', ANOMALY_VALIDATION), ...(perEpoch ? epochKeys() : []), ...keys('test', 'test', ANOMALY_TEST)];
}

/**
 * The objective a study gets when it names none: the validation RMSE for forecasting (on the
 * original scale, so trials with different scalers compare), the validation PR-AUC for anomaly
 * detection (it needs labelled validation rows; without them every run lacks it and the study
 * fails saying so).
 */
export function defaultObjective(task: 'forecast' | 'anomaly'): StudyObjective {
  return task === 'forecast' ? { metric: 'val.rmse', direction: 'minimize' } : { metric: 'val.pr_auc', direction: 'maximize' };
}
