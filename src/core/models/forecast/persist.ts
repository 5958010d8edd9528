/**
 * Saving and loading forecasters: the network in the TensorFlow.js layers format (model.json +
 * weights.bin, see model-files.ts), plus preprocessing.json: what inference must do to inputs and
 * outputs.
 */
import type * as tf from '@tensorflow/tfjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SCALER_KINDS } from '../../data';
import { buildLayersModel, readJsonFileAs, readLayersArtifacts, saveLayersModel } from '../model-files';
import type { ForecastPreprocessing } from './features';
import { makeForecaster, type Forecaster, type NetworkInput } from './forecaster';
// Registers the custom layers saved models may name (Unfold1D), before any model is loaded.
import './networks';

export { MODEL_FILE, WEIGHTS_FILE } from '../model-files';
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
  target: z.string(),
  timeColumn: z.string().nullable(),
  /** The network's per-sample input: a flat vector, or `[steps, channels]`. */
  networkInput: z.enum(['flat', 'sequence']),
  inputs: z.literal('window-differences'),
  output: z.literal('change-over-horizon'),
  window: z.number().int().min(2),
  horizon: z.number().int().min(1),
  scaler: z.enum(SCALER_KINDS),
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
  networkInput: 'flat',
  scaler: 'standard',
  exogenous: [],
  calendar: [],
  channels: ['target_diff'],
  x: { kind: 'standard', center: f.x.mean, scale: f.x.std },
  y: { kind: 'standard', center: f.y.mean, scale: f.y.std },
});

const AnyPreprocessingFile = z.union([PreprocessingFile, PreprocessingFileV1.transform(fromV1)]);

export interface SaveInfo {
  family: string;
  networkInput: NetworkInput;
  target: string;
  timeColumn: string | null;
}

/** Writes model.json, weights.bin and preprocessing.json into `dir`; returns their paths. */
export async function saveForecaster(
  model: tf.LayersModel,
  p: ForecastPreprocessing,
  dir: string,
  info: SaveInfo,
): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const modelFiles = await saveLayersModel(model, dir);
  const pre: PreprocessingFile = {
    format: 'trainyard.forecast.preprocessing',
    version: 2,
    family: info.family,
    target: info.target,
    timeColumn: info.timeColumn,
    networkInput: info.networkInput,
    inputs: p.inputs,
    output: p.output,
    window: p.window,
    horizon: p.horizon,
    scaler: p.scaler,
    exogenous: p.exogenous,
    calendar: p.calendar,
    channels: p.channels,
    x: p.x,
    y: p.y,
  };
  const prePath = join(dir, PREPROCESSING_FILE);
  await writeFile(prePath, JSON.stringify(pre, null, 2));
  return [...modelFiles, prePath];
}

/** Loads a forecaster saved by `saveForecaster`, on whatever backend tfjs is using now. */
export async function loadForecaster(dir: string): Promise<Forecaster> {
  // Both files are read and checked before any tensor exists, so a bad folder leaks nothing.
  const artifacts = await readLayersArtifacts(dir);
  const f = await readJsonFileAs(join(dir, PREPROCESSING_FILE), AnyPreprocessingFile);
  const model = await buildLayersModel(artifacts);
  return makeForecaster(
    model,
    {
      inputs: f.inputs,
      output: f.output,
      window: f.window,
      horizon: f.horizon,
      scaler: f.scaler,
      exogenous: f.exogenous,
      calendar: f.calendar,
      channels: f.channels,
      x: f.x,
      y: f.y,
    },
    f.networkInput,
  );
}
