/**
 * The TensorFlow.js half of the anomaly families: train, score, save, load. Reached through
 * `anomalyKit()` in the models index, so that code which only checks params never loads TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';

export { trainAutoencoderDetector, type AutoencoderTraining } from './autoencoder-train';
export { fitForestDetector, makeForestDetector, FOREST_FILE } from './forest-detector';
export { makeAutoencoderDetector } from './autoencoder-detector';
export { saveDetector, loadDetector, DETECTOR_FILE, type SavedDetector } from './persist';
export { MODEL_FILE, WEIGHTS_FILE } from '../model-files';

export const tfjsVersion: string = tf.version.tfjs;
