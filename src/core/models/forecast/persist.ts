/**
 * Loading any saved forecaster. preprocessing.json says what inference does to inputs and outputs
 * and which predictor sits beside it: a network in the TensorFlow.js layers format (model.json +
 * weights.bin, see model-files.ts), ridge.json, gbdt.json, or a blend (blend.json and members/).
 * Saving is each forecaster's own `save`.
 */
import { MODEL_FILE, WEIGHTS_FILE, buildLayersModel, readLayersArtifacts } from '../model-files';
import { BLEND_FILE, loadBlend } from './blend';
import { makeForecaster } from './forecaster';
import { GBDT_FILE, loadGbdt } from './gbdt-model';
import type { Forecaster } from './predictor';
import { PREPROCESSING_FILE, readPreprocessingFile } from './preprocessing-file';
import { RIDGE_FILE, loadRidge } from './ridge-model';
// Registers the custom layers saved models may name (Unfold1D), before any model is loaded.
import './networks';

export { MODEL_FILE, WEIGHTS_FILE, PREPROCESSING_FILE };

/** Loads the forecaster saved in `dir`, on whatever backend tfjs is using now when it is a network. */
export async function loadForecaster(dir: string): Promise<Forecaster> {
  const read = await readPreprocessingFile(dir);
  switch (read.predictor) {
    case 'ridge':
      return loadRidge(dir, read.preprocessing);
    case 'gbdt':
      return loadGbdt(dir, read.preprocessing);
    case 'blend':
      return loadBlend(dir, loadForecaster);
    case 'network': {
      // Both files are read and checked before any tensor exists, so a bad folder leaks nothing.
      const artifacts = await readLayersArtifacts(dir);
      return makeForecaster(await buildLayersModel(artifacts), read.preprocessing, read.networkInput);
    }
  }
}

/** The artifact kind of each file a forecaster may save, by name. */
export const FORECASTER_FILE_KINDS: Record<string, string> = {
  [MODEL_FILE]: 'model',
  [WEIGHTS_FILE]: 'weights',
  [PREPROCESSING_FILE]: 'preprocessing',
  [RIDGE_FILE]: 'model',
  [GBDT_FILE]: 'model',
  [BLEND_FILE]: 'model',
};
