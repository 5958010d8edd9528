/**
 * A saved model's files, the same for every family: the network as a TensorFlow.js layers model
 * (model.json + weights.bin, written and read with plain `fs` through an IO handler so no native
 * tfjs-node build is needed) and the JSON files beside it (preprocessing.json, detector.json).
 * Only the kits import this: it loads TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonFile } from './json-files';

export { readJsonFile, readJsonFileAs } from './json-files';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/** Writes model.json and weights.bin into `dir` (which must exist); returns their paths. */
export async function saveLayersModel(model: tf.LayersModel, dir: string): Promise<string[]> {
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
  return [modelPath, weightsPath];
}

/**
 * The model.json and weights in `dir`, read but not yet built into a model: a caller that must check
 * other files too can do so before any tensor exists.
 */
export async function readLayersArtifacts(dir: string): Promise<tf.io.ModelArtifacts> {
  const json = (await readJsonFile(join(dir, MODEL_FILE))) as tf.io.ModelJSON;
  if (!json || json.format !== 'layers-model' || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${join(dir, MODEL_FILE)} is not a TensorFlow.js layers model`);
  }
  return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = manifest.flatMap((g) => g.weights);
    const buffers = await Promise.all(
      manifest.flatMap((g) => g.paths).map(async (p) => {
        const b = await readFile(join(dir, p));
        return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
      }),
    );
    return [specs, buffers];
  });
}

/** Builds the model from artifacts read by `readLayersArtifacts`, on whatever backend tfjs is using now. */
export function buildLayersModel(artifacts: tf.io.ModelArtifacts): Promise<tf.LayersModel> {
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}

/** Loads the model saved by `saveLayersModel` in `dir`. */
export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  return buildLayersModel(await readLayersArtifacts(dir));
}
