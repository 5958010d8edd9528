import { describe, expect, it } from 'vitest';
import { seededRandom } from '../models';
import { anomalyMetricRecord, anomalyMetrics, averagePrecision, bestF1Threshold, eventMetrics, labelledEvents, rocAuc, thresholdMetrics } from './index';

/** ROC-AUC by its definition: over every (anomaly, normal) pair, 1 if the anomaly scores higher, 1/2 on a tie. */
function pairwiseAuc(labels: number[], scores: number[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 1) continue;
    for (let j = 0; j < labels.length; j++) {
      if (labels[j] !== 0) continue;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}

/** Average precision by its definition: for each distinct threshold, precision there times the recall it adds. */
function bruteAp(labels: number[], scores: number[]): number {
  const positives = labels.filter((l) => l === 1).length;
  const thresholds = [...new Set(scores)].sort((a, b) => b - a);
  let ap = 0;
  let prevRecall = 0;
  for (const t of thresholds) {
    const flagged = scores.map((s) => s >= t);
    const tp = flagged.filter((f, i) => f && labels[i] === 1).length;
    const recall = tp / positives;
    ap += (tp / flagged.filter(Boolean).length) * (recall - prevRecall);
    prevRecall = recall;
  }
  return ap;
}

function randomCase(seed: number) {
  const rand = seededRandom(seed);
  const n = 5 + Math.floor(rand() * 60);
  // Coarse scores so ties happen often.
  const scores = Array.from({ length: n }, () => Math.round(rand() * 8) / 8);
  const labels = scores.map(() => (rand() < 0.3 ? 1 : 0));
  labels[0] = 1;
  labels[1] = 0;
  return { labels, scores, rand };
}

describe('precision, recall and F1 at a threshold', () => {
  it('counts a hand-made case', () => {
    const m = thresholdMetrics([1, 1, 1, 0, 0, 0, 0, 0], [1, 1, 0, 1, 0, 0, 0, 0]);
    expect(m).toMatchObject({ tp: 2, fp: 1, fn: 1, tn: 4, positives: 3, flagged: 3 });
    expect(m.precision).toBeCloseTo(2 / 3, 12);
    expect(m.recall).toBeCloseTo(2 / 3, 12);
    expect(m.f1).toBeCloseTo(2 / 3, 12);
  });

  it('gives 0, not NaN, when nothing is flagged or nothing is anomalous', () => {
    expect(thresholdMetrics([1, 0, 0], [0, 0, 0])).toMatchObject({ precision: 0, recall: 0, f1: 0 });
    expect(thresholdMetrics([0, 0, 0], [1, 0, 0])).toMatchObject({ precision: 0, recall: 0, f1: 0, fp: 1 });
  });

  it('flags scores strictly above the threshold', () => {
    const m = anomalyMetrics([1, 0, 1, 0], [0.9, 0.5, 0.5, 0.1], 0.5);
    expect(m).toMatchObject({ tp: 1, fp: 0, fn: 1, tn: 2 });
  });

  it('refuses labels that are not 0/1 and arrays of different lengths', () => {
    expect(() => thresholdMetrics([2, 0], [1, 0])).toThrow(/label 0 is 2/);
    expect(() => thresholdMetrics([1, 0], [1])).toThrow(/equal, non-empty/);
    expect(() => rocAuc([1, 0], [NaN, 1])).toThrow(/not a finite number/);
  });
});

describe('ROC-AUC', () => {
  it('matches a case computed by hand (scikit-learn documentation example)', () => {
    // Pairs (anomaly, normal): (0.35 vs 0.1) win, (0.35 vs 0.4) loss, (0.8 vs 0.1) win, (0.8 vs 0.4) win: 3/4.
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(0.75, 12);
  });

  it('is 1 for a perfect ranking, 0 for a reversed one, 1/2 for a constant scorer, null for one class', () => {
    expect(rocAuc([0, 0, 1, 1], [1, 2, 3, 4])).toBe(1);
    expect(rocAuc([0, 0, 1, 1], [4, 3, 2, 1])).toBe(0);
    expect(rocAuc([0, 1, 0, 1, 1], [7, 7, 7, 7, 7])).toBe(0.5);
    expect(rocAuc([0, 0, 0], [1, 2, 3])).toBeNull();
    expect(rocAuc([1, 1], [1, 2])).toBeNull();
  });

  it('equals the pairwise definition, ties included, and is symmetric under negated scores (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { labels, scores } = randomCase(seed);
      const auc = rocAuc(labels, scores)!;
      expect(auc, `seed ${seed}`).toBeCloseTo(pairwiseAuc(labels, scores), 12);
      expect(rocAuc(labels, scores.map((s) => -s))!, `seed ${seed}`).toBeCloseTo(1 - auc, 12);
      // Only the order matters: a strictly increasing transform leaves it unchanged.
      expect(rocAuc(labels, scores.map((s) => Math.exp(3 * s) - 5))!, `seed ${seed}`).toBeCloseTo(auc, 12);
    }
  });
});

describe('average precision (PR-AUC)', () => {
  it('matches a case computed by hand (scikit-learn documentation example)', () => {
    // Ranked: 0.8 (anomaly: P=1, R=1/2), 0.4 (normal), 0.35 (anomaly: P=2/3, R=1): 1*1/2 + 2/3*1/2.
    expect(averagePrecision([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBeCloseTo(1 / 2 + 1 / 3, 12);
  });

  it('is 1 for a perfect ranking, the share of anomalies for a constant scorer, null without anomalies', () => {
    expect(averagePrecision([0, 1, 0, 1], [0, 5, 1, 4])).toBe(1);
    expect(averagePrecision([0, 1, 0, 0, 0], [3, 3, 3, 3, 3])).toBeCloseTo(0.2, 12);
    expect(averagePrecision([0, 0], [1, 2])).toBeNull();
  });

  it('equals the threshold-by-threshold definition, ties included, and stays within (0, 1] (200 seeds)', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { labels, scores } = randomCase(seed);
      const ap = averagePrecision(labels, scores)!;
      expect(ap, `seed ${seed}`).toBeCloseTo(bruteAp(labels, scores), 12);
      expect(ap).toBeGreaterThan(0);
      expect(ap).toBeLessThanOrEqual(1);
    }
  });

  it('gives a random scorer about the share of anomalies, and a useful scorer much more', () => {
    const rand = seededRandom(99);
    const n = 20000;
    const labels: number[] = Array.from({ length: n }, () => (rand() < 0.05 ? 1 : 0));
    const share = labels.reduce((a, b) => a + b, 0) / n;
    const random = averagePrecision(labels, labels.map(() => rand()))!;
    expect(Math.abs(random - share)).toBeLessThan(0.01);
    const useful = averagePrecision(labels, labels.map((l) => l + rand()))!;
    expect(useful).toBeCloseTo(1, 9);
  });
});

describe('metric record', () => {
  it('names the keys as runs record them and leaves out undefined ones', () => {
    const m = anomalyMetrics([0, 0, 0], [0.1, 0.2, 0.9], 0.5);
    expect(anomalyMetricRecord('test', m)).toEqual({ 'test.precision': 0, 'test.recall': 0, 'test.f1': 0 });
    const both = anomalyMetrics([0, 1, 0], [0.1, 0.9, 0.2], 0.5);
    expect(anomalyMetricRecord('test', both)).toEqual({
      'test.precision': 1,
      'test.recall': 1,
      'test.f1': 1,
      'test.roc_auc': 1,
      'test.pr_auc': 1,
      'test.event_recall': 1,
      'test.events': 1,
      'test.events_detected': 1,
      'test.detection_delay': 0,
    });
  });
});

describe('event metrics', () => {
  it('count a labelled window as detected when any row in it is flagged, and the rows until its first flag', () => {
    // Events: rows 1-3, row 6, rows 8-9. Flags at 3 (2 rows into the first event), 5 (a false alarm) and 8.
    const labels = [0, 1, 1, 1, 0, 0, 1, 0, 1, 1];
    const flagged = [0, 0, 0, 1, 0, 1, 0, 0, 1, 0];
    expect(labelledEvents(labels)).toEqual([
      { start: 1, end: 4 },
      { start: 6, end: 7 },
      { start: 8, end: 10 },
    ]);
    expect(eventMetrics(labels, flagged)).toEqual({ events: 3, detected: 2, eventRecall: 2 / 3, detectionDelay: (2 + 0) / 2 });
    expect(eventMetrics([0, 1, 1, 0], [1, 0, 0, 1])).toEqual({ events: 1, detected: 0, eventRecall: 0, detectionDelay: null });
    expect(eventMetrics([0, 0], [1, 1])).toEqual({ events: 0, detected: 0, eventRecall: 0, detectionDelay: null });
  });

  it('are recorded beside the point-wise ones, under the run names', () => {
    const m = anomalyMetrics([0, 1, 1, 0, 1], [0.1, 0.2, 0.9, 0.3, 0.05], 0.5);
    expect(anomalyMetricRecord('val', m)).toMatchObject({
      'val.recall': 1 / 3,
      'val.event_recall': 1 / 2,
      'val.events': 2,
      'val.events_detected': 1,
      'val.detection_delay': 1,
    });
  });
});

describe('best-F1 threshold', () => {
  it('cuts between neighbouring distinct scores where F1 is highest, ties kept together', () => {
    // Descending: 0.9 (1), 0.8 (0), 0.8 (1), 0.4 (1), 0.2 (0).
    // Flag {0.9}: F1 = 2(1)(1/3)/(4/3) = 0.5; {0.9, 0.8, 0.8}: P 2/3, R 2/3, F1 2/3; {.., 0.4}: P 3/4, R 1, F1 6/7; all: P 3/5, F1 0.75.
    const b = bestF1Threshold([1, 0, 1, 1, 0], [0.9, 0.8, 0.8, 0.4, 0.2]);
    expect(b.f1).toBeCloseTo(6 / 7, 12);
    expect(b.threshold).toBeCloseTo(0.3, 12);
    expect(b).toMatchObject({ precision: 0.75, recall: 1 });
    // The threshold it gives reproduces its F1 through the flags a run uses (score > threshold).
    expect(anomalyMetrics([1, 0, 1, 1, 0], [0.9, 0.8, 0.8, 0.4, 0.2], b.threshold).f1).toBeCloseTo(b.f1, 12);
    // Without positives nothing beats F1 0: the threshold flags nothing.
    const none = bestF1Threshold([0, 0, 0], [0.3, 0.2, 0.1]);
    expect(none.f1).toBe(0);
    expect(thresholdMetrics([0, 0, 0], [0.3, 0.2, 0.1].map((s) => s > none.threshold)).flagged).toBe(0);
  });
});
