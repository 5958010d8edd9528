/**
 * Anomaly detection metrics against a 0/1 label column: precision, recall and F1 of the flags at
 * the chosen threshold, and two threshold-free ones from the raw scores: ROC-AUC (the chance that a
 * random anomaly outscores a random normal point) and PR-AUC as average precision (the area a
 * detector's precision-recall curve covers, the measure that stays honest when anomalies are rare).
 * Beside the point-wise figures, event figures: a run of consecutive labelled rows is one event (a
 * level shift, a stuck sensor), detected when any row in it is flagged, as an operator who gets one
 * alarm for it would count it.
 */

export interface ThresholdMetrics {
  /** Points scored. */
  n: number;
  /** Points labelled anomalous. */
  positives: number;
  /** Points flagged (score above the threshold). */
  flagged: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** tp / flagged; 0 when nothing was flagged (as scikit-learn's zero_division=0). */
  precision: number;
  /** tp / positives; 0 when there are no positives. */
  recall: number;
  /** Harmonic mean of precision and recall; 0 when both are 0. */
  f1: number;
}

function checkLengths(what: string, labels: ArrayLike<number>, other: ArrayLike<unknown>): void {
  if (labels.length === 0 || labels.length !== other.length) {
    throw new Error(`${what} needs equal, non-empty arrays (got ${labels.length} and ${other.length})`);
  }
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`${what}: label ${i} is ${labels[i]}, not 0 or 1`);
  }
}

/** Confusion counts and precision, recall, F1 of `flagged` against `labels`. */
export function thresholdMetrics(labels: ArrayLike<number>, flagged: ArrayLike<boolean | number>): ThresholdMetrics {
  checkLengths('thresholdMetrics', labels, flagged);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < labels.length; i++) {
    const f = Boolean(flagged[i]);
    if (labels[i] === 1) {
      if (f) tp++;
      else fn++;
    } else if (f) fp++;
    else tn++;
  }
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { n: labels.length, positives: tp + fn, flagged: tp + fp, tp, fp, fn, tn, precision, recall, f1 };
}

/** Indices sorted by score, highest first. */
function byScoreDescending(scores: ArrayLike<number>): Int32Array {
  const order = Int32Array.from({ length: scores.length }, (_, i) => i);
  order.sort((a, b) => scores[b] - scores[a]);
  return order;
}

function checkScores(what: string, scores: ArrayLike<number>): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`${what}: score ${i} is ${scores[i]}, not a finite number`);
  }
}

/**
 * Area under the ROC curve, by the rank-sum (Mann-Whitney U) identity; tied scores count half, so a
 * constant scorer gets exactly 0.5. Null when the labels hold a single class (no curve to draw).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  checkLengths('rocAuc', labels, scores);
  checkScores('rocAuc', scores);
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return null;
  // Ascending ranks (1-based) with ties given their average rank.
  const order = byScoreDescending(scores).reverse();
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    const avgRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (labels[order[k]] === 1) rankSum += avgRank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Average precision: the sum over score thresholds (highest first, tied scores taken together) of
 * the precision there times the recall gained there, as scikit-learn's average_precision_score.
 * A random scorer gets about the share of positives. Null when there are no positives.
 */
export function averagePrecision(labels: ArrayLike<number>, scores: ArrayLike<number>): number | null {
  checkLengths('averagePrecision', labels, scores);
  checkScores('averagePrecision', scores);
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  if (positives === 0) return null;
  const order = byScoreDescending(scores);
  let tp = 0;
  let seen = 0;
  let ap = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    let gained = 0;
    for (let k = i; k <= j; k++) gained += labels[order[k]];
    tp += gained;
    seen = j + 1;
    if (gained > 0) ap += (tp / seen) * (gained / positives);
    i = j + 1;
  }
  return ap;
}

/** Where the F1 of `score > threshold` is highest, and what precision and recall it has there. */
export interface BestF1 {
  threshold: number;
  f1: number;
  precision: number;
  recall: number;
}

/**
 * The threshold with the best F1 of `score > threshold` against `labels`, over every cut between
 * two neighbouring distinct scores (ties stay together). The threshold sits halfway between the
 * lowest flagged score and the next one down, so a new score close to the flagged ones is flagged
 * too; where several cuts tie, the one flagging fewest rows wins. F1 is 0 everywhere without positives.
 */
export function bestF1Threshold(labels: ArrayLike<number>, scores: ArrayLike<number>): BestF1 {
  checkLengths('bestF1Threshold', labels, scores);
  checkScores('bestF1Threshold', scores);
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i];
  const order = byScoreDescending(scores);
  const top = scores[order[0]];
  let best: BestF1 = { threshold: top + Math.max(1, Math.abs(top)) * 1e-9, f1: 0, precision: 0, recall: 0 };
  let tp = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]] === scores[order[i]]) j++;
    for (let k = i; k <= j; k++) tp += labels[order[k]];
    const flagged = j + 1;
    const precision = tp / flagged;
    const recall = positives > 0 ? tp / positives : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    if (f1 > best.f1) {
      const level = scores[order[i]];
      const below = j + 1 < n ? scores[order[j + 1]] : level - Math.max(1, Math.abs(level)) * 1e-9;
      best = { threshold: (level + below) / 2, f1, precision, recall };
    }
    i = j + 1;
  }
  return best;
}

/** One labelled anomaly: rows [start, end) of consecutive 1s. */
export interface LabelledEvent {
  start: number;
  end: number;
}

/** The maximal runs of consecutive 1s in `labels`. */
export function labelledEvents(labels: ArrayLike<number>): LabelledEvent[] {
  const events: LabelledEvent[] = [];
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    const start = i;
    while (i + 1 < labels.length && labels[i + 1] === 1) i++;
    events.push({ start, end: i + 1 });
  }
  return events;
}

export interface EventMetrics {
  events: number;
  /** Events with at least one flagged row. */
  detected: number;
  /** detected / events; 0 without events. */
  eventRecall: number;
  /** Mean, over detected events, of rows from the event's first row to its first flagged row; null when none was detected. */
  detectionDelay: number | null;
}

export function eventMetrics(labels: ArrayLike<number>, flagged: ArrayLike<boolean | number>): EventMetrics {
  checkLengths('eventMetrics', labels, flagged);
  const events = labelledEvents(labels);
  let detected = 0;
  let delays = 0;
  for (const e of events) {
    for (let i = e.start; i < e.end; i++) {
      if (!flagged[i]) continue;
      detected++;
      delays += i - e.start;
      break;
    }
  }
  return {
    events: events.length,
    detected,
    eventRecall: events.length > 0 ? detected / events.length : 0,
    detectionDelay: detected > 0 ? delays / detected : null,
  };
}

export interface AnomalyMetrics extends ThresholdMetrics {
  /** Null when the scored part holds only one class. */
  rocAuc: number | null;
  /** Average precision; null when the scored part has no anomalies. */
  prAuc: number | null;
  events: EventMetrics;
}

export function anomalyMetrics(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  threshold: number,
): AnomalyMetrics {
  const flagged = Array.from(scores, (s) => s > threshold);
  return {
    ...thresholdMetrics(labels, flagged),
    rocAuc: rocAuc(labels, scores),
    prAuc: averagePrecision(labels, scores),
    events: eventMetrics(labels, flagged),
  };
}

/**
 * Keys as runs record them: `test.precision`, `test.recall`, `test.f1`, `test.roc_auc`,
 * `test.pr_auc`, `test.event_recall`, `test.events`, `test.events_detected`,
 * `test.detection_delay`; nulls (and event figures without events) left out.
 */
export function anomalyMetricRecord(prefix: string, m: AnomalyMetrics): Record<string, number> {
  const out: Record<string, number> = {
    [`${prefix}.precision`]: m.precision,
    [`${prefix}.recall`]: m.recall,
    [`${prefix}.f1`]: m.f1,
  };
  if (m.rocAuc !== null) out[`${prefix}.roc_auc`] = m.rocAuc;
  if (m.prAuc !== null) out[`${prefix}.pr_auc`] = m.prAuc;
  if (m.events.events > 0) {
    out[`${prefix}.event_recall`] = m.events.eventRecall;
    out[`${prefix}.events`] = m.events.events;
    out[`${prefix}.events_detected`] = m.events.detected;
  }
  if (m.events.detectionDelay !== null) out[`${prefix}.detection_delay`] = m.events.detectionDelay;
  return out;
}
