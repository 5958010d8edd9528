/**
 * Anomaly predict and scoring: every row's score from the window ending at it, flagged above the
 * threshold the detector saved. The first window - 1 rows have no full window and score
 * UNSCORED_ROW_SCORE, never flagged, as the run's scores.csv writes them.
 */
import type { Range, TrainingFrame } from '../../data';
import { anomalyMetrics } from '../../metrics';
import type { AnomalyKit } from '../../models';
import type { PredictOutput, ScoreFile } from '../../workers';
import { checkRows } from './frame';
import { keyColumn, rowKey, toCsv, type Cell } from './table';

export type SavedDetector = Awaited<ReturnType<AnomalyKit['loadDetector']>>;

export async function anomalyScores(saved: SavedDetector, frame: TrainingFrame, file: ScoreFile): Promise<Float64Array> {
  const w = saved.detector.window;
  checkRows(frame, w, `a window of ${w} rows`, file);
  return saved.detector.scoreRows(frame.series.values);
}

export async function anomalyTable(saved: SavedDetector, frame: TrainingFrame, file: ScoreFile): Promise<PredictOutput> {
  const scores = await anomalyScores(saved, frame, file);
  const { series } = frame;
  const threshold = saved.threshold.value;
  const noFuture = { frequency: null, stepMs: null };
  const rows: Cell[][] = Array.from(scores, (s, i) => [rowKey(series, i, noFuture), series.values[i], s, s > threshold ? 1 : 0]);
  const columns = [keyColumn(series), 'value', 'score', 'flagged'];
  return { task: 'anomaly', columns, rows, csv: toCsv(columns, rows), skipped: Math.min(series.values.length, saved.detector.window - 1) };
}

/** Against the file's labels where it has the model's label column; how many rows are flagged otherwise. */
export function anomalyRowMetrics(saved: SavedDetector, frame: TrainingFrame, scores: Float64Array, rows: Range): Record<string, number> {
  const part = scores.subarray(rows.start, rows.end);
  const threshold = saved.threshold.value;
  const n = part.length;
  if (!frame.labels) {
    const flagged = part.reduce((a, s) => a + (s > threshold ? 1 : 0), 0);
    return { n, flagged, flagged_share: flagged / n };
  }
  const m = anomalyMetrics(frame.labels.subarray(rows.start, rows.end), part, threshold);
  const out: Record<string, number> = { n, positives: m.positives, flagged: m.flagged, precision: m.precision, recall: m.recall, f1: m.f1 };
  if (m.rocAuc !== null) out.roc_auc = m.rocAuc;
  if (m.prAuc !== null) out.pr_auc = m.prAuc;
  return out;
}
