/**
 * Saving and loading forecasters in the TensorFlow.js layers format (model.json + weights.bin),
 * written with plain `fs` through a save handler so no native tfjs-node build is needed, plus
 * preprocessing.json: what inference must do to inputs and outputs.
 */
import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { ForecastPreprocessing } from './features';
import { makeForecaster, type Forecaster } from './forecaster';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
export const PREPROCESSING_FILE = 'preprocessing.json';

const Scaler = z.object({ mean: z.array(z.number()), std: z.array(z.number().positive()) });
const PreprocessingFile = z.object({
  format: z.literal('trainyard.forecast.preprocessing'),
  version: z.literal(1),
  family: z.string(),
  target: z.string(),
  timeColumn: z.string().nullable(),
  inputs: z.literal('window-differences'),
  output: z.literal('change-over-horizon'),
  window: z.number().int().min(2),
  horizon: z.number().int().min(1),
  x: Scaler,
  y: Scaler,
});
type PreprocessingFile = z.infer<typeof PreprocessingFile>;

export interface SaveInfo {
  family: string;
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
    version: 1,
    family: info.family,
    target: info.target,
    timeColumn: info.timeColumn,
    inputs: p.inputs,
    output: p.output,
    window: p.window,
    horizon: p.horizon,
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
  const parsed = PreprocessingFile.safeParse(await readJson(join(dir, PREPROCESSING_FILE)));
  if (!parsed.success) throw new Error(`${join(dir, PREPROCESSING_FILE)} is not valid: ${parsed.error.issues[0].message}`);
  const f = parsed.data;
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  return makeForecaster(model, {
    inputs: f.inputs,
    output: f.output,
    window: f.window,
    horizon: f.horizon,
    x: f.x,
    y: f.y,
  });
}
