/**
 * The TensorFlow.js half of the forecast models: build, train, predict, save, load, checkpoint.
 * Reached through `forecastKit()` in the models index, so that code which only checks params (the
 * core, at submit time) never loads TensorFlow.js.
 */
import * as tf from '@tensorflow/tfjs';

export { buildMlp, describeMlp, disposeModel } from './mlp-network';
export { buildNetwork, describeNetwork, sampleShape, buildRecurrent, buildConv1d } from './networks';
export { fitForecaster, Diverged } from './fit';
export { makeForecaster } from './forecaster';
export { loadForecaster, FORECASTER_FILE_KINDS, MODEL_FILE, WEIGHTS_FILE, PREPROCESSING_FILE } from './persist';
export {
  readCheckpoint,
  writeCheckpoint,
  removeCheckpoint,
  disposeSnapshot,
  CHECKPOINT_FILE,
  type TrainingSnapshot,
  type CheckpointRead,
} from './checkpoint';

export const tfjsVersion: string = tf.version.tfjs;
