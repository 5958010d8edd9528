/**
 * Saving and loading anomaly detectors: the family's model files (model.json + weights.bin for the
 * autoencoder, forest.json for the isolation forest) beside detector.json, which holds what scoring
 * needs besides the model: the window, the scaler fitted on the training rows, and the threshold.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SCALER_KINDS } from '../../data';
import { loadLayersModel, readJsonFileAs } from '../model-files';
import { makeAutoencoderDetector } from './autoencoder-detector';
import { ANOMALY_FAMILY_NAMES, type AnomalyDetector, type Threshold } from './detector';
import { FOREST_FILE, makeForestDetector } from './forest-detector';
import type { IsolationTree } from './isolation-forest';
import { THRESHOLD_CHOICES } from './params';
import { DETECTOR_FORMAT_VERSION } from './windows';

export const DETECTOR_FILE = 'detector.json';

/**
 * Version 2: rows are scored causally (from the window ending at each row) and the forest reads the
 * window features of FOREST_FEATURE_NAMES. A version 1 detector scored rows from later windows too
 * and its threshold was set for those scores, so it is refused rather than scored wrongly.
 */
const VERSION = DETECTOR_FORMAT_VERSION;
const REFUSED_VERSION = 'was saved by an earlier Trainyard that scored rows from the rows after them too; retrain the model';

const DetectorFile = z.object({
  format: z.literal('trainyard.anomaly.detector'),
  version: z.literal(VERSION, { error: REFUSED_VERSION }),
  family: z.enum(ANOMALY_FAMILY_NAMES),
  target: z.string(),
  timeColumn: z.string().nullable(),
  window: z.number().int().min(1),
  scaler: z.object({ kind: z.enum(SCALER_KINDS), center: z.array(z.number()), scale: z.array(z.number().positive()) }),
  threshold: z.object({ value: z.number(), method: z.enum(THRESHOLD_CHOICES), basis: z.string() }),
});

const Tree = z.object({
  feature: z.array(z.number().int()),
  split: z.array(z.number()),
  left: z.array(z.number().int()),
  right: z.array(z.number().int()),
  size: z.array(z.number().int()),
});
const ForestFile = z.object({
  format: z.literal('trainyard.isolation-forest'),
  version: z.literal(VERSION, { error: REFUSED_VERSION }),
  features: z.number().int().min(1),
  sampleSize: z.number().int().min(1),
  trees: z.array(Tree).min(1),
});

export interface SavedDetector {
  detector: AnomalyDetector;
  target: string;
  timeColumn: string | null;
  threshold: Threshold;
}

/** Writes the model files and detector.json into `dir`; returns their paths. */
export async function saveDetector(
  detector: AnomalyDetector,
  dir: string,
  info: { target: string; timeColumn: string | null; threshold: Threshold },
): Promise<string[]> {
  const files = await detector.saveModel(dir);
  const meta: z.infer<typeof DetectorFile> = {
    format: 'trainyard.anomaly.detector',
    version: VERSION,
    family: detector.family,
    target: info.target,
    timeColumn: info.timeColumn,
    window: detector.window,
    scaler: detector.scaler,
    threshold: info.threshold,
  };
  const path = join(dir, DETECTOR_FILE);
  await writeFile(path, JSON.stringify(meta, null, 2));
  return [...files, path];
}

/** Loads a detector saved by `saveDetector` (the autoencoder on whatever backend tfjs is using now). */
export async function loadDetector(dir: string): Promise<SavedDetector> {
  const meta = await readJsonFileAs(join(dir, DETECTOR_FILE), DetectorFile);
  let detector: AnomalyDetector;
  if (meta.family === 'isolation_forest') {
    const f = await readJsonFileAs(join(dir, FOREST_FILE), ForestFile);
    const trees: IsolationTree[] = f.trees;
    detector = makeForestDetector({ features: f.features, sampleSize: f.sampleSize, trees }, meta.window, meta.scaler);
  } else {
    detector = makeAutoencoderDetector(await loadLayersModel(dir), meta.window, meta.scaler);
  }
  return { detector, target: meta.target, timeColumn: meta.timeColumn, threshold: meta.threshold };
}
