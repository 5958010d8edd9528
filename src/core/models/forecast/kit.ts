/**
 * The TensorFlow.js half of the forecast models: build, train, predict, save, load. Reached through
 * `forecastKit()` in the models index, so that code which only checks params (the core, at submit
 * time) never loads TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';

export { buildMlp, describeMlp, disposeModel } from './mlp-network';
export { fitForecaster, Diverged } from './fit';
export { predictLevels, makeForecaster } from './forecaster';
export { saveForecaster, loadForecaster, MODEL_FILE, WEIGHTS_FILE, PREPROCESSING_FILE } from './persist';

export const tfjsVersion: string = tf.version.tfjs;
