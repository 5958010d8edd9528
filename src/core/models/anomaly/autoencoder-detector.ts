/**
 * The dense autoencoder as an anomaly detector: a row's score is the squared reconstruction error
 * at its own position in the window ending at it, so only rows up to it enter.
 */
import type * as tf from '@tensorflow/tfjs';
import { transform, type Scaler } from '../../data';
import { disposeAutoencoder, reconstructionErrors } from './autoencoder-network';
import type { AnomalyDetector } from './detector';
import { saveLayersModel } from '../model-files';
import { causalRowScores, windowMatrix } from './windows';

export function makeAutoencoderDetector(model: tf.LayersModel, window: number, scaler: Scaler): AnomalyDetector {
  return {
    family: 'autoencoder',
    window,
    scaler,
    async scoreRows(values) {
      const m = windowMatrix(transform(scaler, values), window);
      const err = await reconstructionErrors(model, m.x, window);
      return causalRowScores(values.length, window, (k) => err[k * window + window - 1]);
    },
    saveModel: (dir) => saveLayersModel(model, dir),
    dispose: () => disposeAutoencoder(model),
  };
}
