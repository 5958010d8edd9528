/**
 * A TensorFlow.js layers model on disk as model.json + weights.bin, written and read with plain
 * `fs` through an IO handler, so no native tfjs-node build is needed. The same format the forecast
 * families write.
 */
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

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
      await writeFile(modelPath, JSON.stringify(json));
      await writeFile(weightsPath, new Uint8Array(weights));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return [modelPath, weightsPath];
}

export async function loadLayersModel(dir: string): Promise<tf.LayersModel> {
  const path = join(dir, MODEL_FILE);
  let json: tf.io.ModelJSON;
  try {
    json = JSON.parse(await readFile(path, 'utf8')) as tf.io.ModelJSON;
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!json || json.format !== 'layers-model' || !Array.isArray(json.weightsManifest)) {
    throw new Error(`${path} is not a TensorFlow.js layers model`);
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
  return tf.loadLayersModel(tf.io.fromMemory(artifacts));
}
