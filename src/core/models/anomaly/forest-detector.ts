/** The isolation forest as an anomaly detector: features of the window ending at each row in, that row's score out. */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fitScaler, transform, type Scaler } from '../../data';
import type { AnomalyDetector } from './detector';
import { fitIsolationForest, isolationScores, type IsolationForest } from './isolation-forest';
import type { IsolationForestParams } from './params';
import { DETECTOR_FORMAT_VERSION, causalRowScores, forestFeatures, windowMatrix } from './windows';

export const FOREST_FILE = 'forest.json';

export function makeForestDetector(forest: IsolationForest, window: number, scaler: Scaler): AnomalyDetector {
  return {
    family: 'isolation_forest',
    window,
    scaler,
    async scoreRows(values) {
      const f = forestFeatures(windowMatrix(transform(scaler, values), window));
      const perWindow = isolationScores(forest, f.x);
      return causalRowScores(values.length, window, (k) => perWindow[k]);
    },
    async saveModel(dir) {
      const path = join(dir, FOREST_FILE);
      await writeFile(path, JSON.stringify({ format: 'trainyard.isolation-forest', version: DETECTOR_FORMAT_VERSION, ...forest }));
      return [path];
    },
    dispose() {},
  };
}

/**
 * Grows the forest on the windows lying wholly inside the training rows [0, trainEnd), with the
 * scaler fitted on those rows.
 */
export function fitForestDetector(values: Float64Array, trainEnd: number, p: IsolationForestParams): AnomalyDetector {
  const train = values.subarray(0, trainEnd);
  const scaler = fitScaler(train);
  const f = forestFeatures(windowMatrix(transform(scaler, train), p.window));
  const forest = fitIsolationForest(f.x, f.features, { trees: p.trees, sampleSize: p.sampleSize, seed: p.seed });
  return makeForestDetector(forest, p.window, scaler);
}
