/**
 * preprocessing.json: what inference must do to a forecaster's inputs and outputs, and which kind
 * of predictor sits beside it (a network, ridge coefficients, trees, a blend), so the loader knows
 * which files to read. No TensorFlow.js here: ridge and tree models save and load without it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SCALER_KINDS } from '../../data';
import { readJsonFileAs } from '../json-files';
import { inputShape, type ForecastPreprocessing } from './features';
import type { NetworkInput, PredictorKind, SaveInfo } from './predictor';

export const PREPROCESSING_FILE = 'preprocessing.json';

const Scaler = z.object({
  kind: z.enum(SCALER_KINDS),
  center: z.array(z.number()),
  scale: z.array(z.number().positive()),
});
const PreprocessingFile = z.object({
  format: z.literal('trainyard.forecast.preprocessing'),
  version: z.literal(2),
  family: z.string(),
  /** Absent in files written before other predictors than networks existed. */
  predictor: z.enum(['network', 'ridge', 'gbdt', 'blend']).default('network'),
  target: z.string(),
  timeColumn: z.string().nullable(),
  /** The network's per-sample input: a flat vector, or `[steps, channels]`. */
  networkInput: z.enum(['flat', 'sequence']),
  inputs: z.literal('window-differences'),
  output: z.literal('change-over-horizon'),
  window: z.number().int().min(2),
  horizon: z.number().int().min(1),
  scaler: z.enum(SCALER_KINDS),
  /** Absent in files written before the levels channel existed. */
  levels: z.boolean().default(false),
  exogenous: z.array(z.string()),
  calendar: z.array(z.enum(['hour_of_day', 'day_of_week', 'day_of_year', 'month_of_year'])),
  channels: z.array(z.string()).min(1),
  x: Scaler,
  y: Scaler,
});
type PreprocessingFile = z.infer<typeof PreprocessingFile>;

/**
 * Version 1, written before the other families, scalers and channels existed: an MLP on the
 * target's differences, standard-scaled per window position. Per-position statistics on one
 * channel scale the flat input exactly as the per-channel scaler of version 2 does with one column
 * per position, so a version-1 file reads as a version-2 one with `window - 1` scaler columns.
 */
const StandardScalerV1 = z.object({ mean: z.array(z.number()), std: z.array(z.number().positive()) });
const PreprocessingFileV1 = z.object({
  format: z.literal('trainyard.forecast.preprocessing'),
  version: z.literal(1),
  family: z.string(),
  target: z.string(),
  timeColumn: z.string().nullable(),
  inputs: z.literal('window-differences'),
  output: z.literal('change-over-horizon'),
  window: z.number().int().min(2),
  horizon: z.number().int().min(1),
  x: StandardScalerV1,
  y: StandardScalerV1,
});

const fromV1 = (f: z.infer<typeof PreprocessingFileV1>): PreprocessingFile => ({
  ...f,
  version: 2,
  predictor: 'network',
  networkInput: 'flat',
  scaler: 'standard',
  levels: false,
  exogenous: [],
  calendar: [],
  channels: ['target_diff'],
  x: { kind: 'standard', center: f.x.mean, scale: f.x.std },
  y: { kind: 'standard', center: f.y.mean, scale: f.y.std },
});

const AnyPreprocessingFile = z.union([PreprocessingFile, PreprocessingFileV1.transform(fromV1)]);

/** Writes `dir/preprocessing.json`; returns its path. */
export async function writePreprocessingFile(
  dir: string,
  p: ForecastPreprocessing,
  info: SaveInfo & { predictor: PredictorKind; networkInput: NetworkInput },
): Promise<string> {
  const pre: PreprocessingFile = {
    format: 'trainyard.forecast.preprocessing',
    version: 2,
    family: info.family,
    predictor: info.predictor,
    target: info.target,
    timeColumn: info.timeColumn,
    networkInput: info.networkInput,
    inputs: p.inputs,
    output: p.output,
    window: p.window,
    horizon: p.horizon,
    scaler: p.scaler,
    levels: p.levels,
    exogenous: p.exogenous,
    calendar: p.calendar,
    channels: p.channels,
    x: p.x,
    y: p.y,
  };
  const path = join(dir, PREPROCESSING_FILE);
  await writeFile(path, JSON.stringify(pre, null, 2));
  return path;
}

export interface PreprocessingRead {
  preprocessing: ForecastPreprocessing;
  predictor: PredictorKind;
  networkInput: NetworkInput;
  family: string;
}

/** Reads and checks `dir/preprocessing.json` (either version). */
export async function readPreprocessingFile(dir: string): Promise<PreprocessingRead> {
  const f = await readJsonFileAs(join(dir, PREPROCESSING_FILE), AnyPreprocessingFile);
  return {
    preprocessing: {
      inputs: f.inputs,
      output: f.output,
      window: f.window,
      horizon: f.horizon,
      scaler: f.scaler,
      levels: f.levels,
      exogenous: f.exogenous,
      calendar: f.calendar,
      channels: f.channels,
      x: f.x,
      y: f.y,
    },
    predictor: f.predictor,
    networkInput: f.networkInput,
    family: f.family,
  };
}

/** The feature count of a flat encoded sample under `p`: what ridge weights and tree splits must match. */
export const flatFeatures = (p: ForecastPreprocessing): number => {
  const s = inputShape(p);
  return s.steps * s.channels;
};

/**
 * Saves a forecaster whose whole model is one JSON document (ridge coefficients, boosted trees):
 * `file` with its format tag and version, then preprocessing.json naming the predictor. Returns both paths.
 */
export async function saveJsonForecaster(
  dir: string,
  file: string,
  body: Record<string, unknown> & { format: string; version: number },
  p: ForecastPreprocessing,
  info: SaveInfo & { predictor: PredictorKind },
): Promise<string[]> {
  const path = join(dir, file);
  await writeFile(path, JSON.stringify(body));
  return [path, await writePreprocessingFile(dir, p, { ...info, networkInput: 'flat' })];
}
