/**
 * Saving and loading forecasters in the TensorFlow.js layers format (model.json + weights.bin),
 * written with plain `fs` through a save handler so no native tfjs-node build is needed, plus
 * preprocessing.json: what inference must do to inputs and outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { SCALER_KINDS } from '../../data';
import type { ForecastPreprocessing } from './features';
import { makeForecaster, type Forecaster, type NetworkInput } from './forecaster';
// Registers the custom layers saved models may name (Unfold1D), before any model is loaded.
import './networks';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
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
  const modelPath = join(dir, MODEL_FILE);
  const weightsPath = join(dir, WEIGHTS_FILE);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new tf.io.CompositeArrayBuffer(artifacts.weightData).slice();
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as object,
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      await writeFile(modelPath, JSON.stringify(json));
      await writeFile(weightsPath, new Uint8Array(weights));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
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
  return [modelPath, weightsPath, prePath];
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Loads a forecaster saved by `saveForecaster`, on whatever backend tfjs is using now. */
export async function loadForecaster(dir: string): Promise<Forecaster> {
  const json = (await readJson(join(dir, MODEL_FILE))) as tf.io.ModelJSON;
  if (!json || json.format !== 'layers-model' || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${join(dir, MODEL_FILE)} is not a TensorFlow.js layers model`);
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = manifest.flatMap((g) => g.weights);
    const buffers = await Promise.all(
      manifest.flatMap((g) => g.paths).map(async (p) => {
        const b = await readFile(join(dir, p));
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      }),
    );
    return [specs, buffers];
  });
  const parsed = AnyPreprocessingFile.safeParse(await readJson(join(dir, PREPROCESSING_FILE)));
  if (!parsed.success) throw new Error(`${join(dir, PREPROCESSING_FILE)} is not valid: ${parsed.error.issues[0].message}`);
  const f = parsed.data;
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
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
