/** The dense autoencoder as an anomaly detector: each row's score is its squared reconstruction error, averaged over the windows holding it. */
import type * as tf from '@tensorflow/tfjs';
import { transform, type Scaler } from '../../data';
import { disposeAutoencoder, reconstructionErrors } from './autoencoder-network';
import type { AnomalyDetector } from './detector';
import { saveLayersModel } from '../model-files';
import { rowScores, windowMatrix } from './windows';

export function makeAutoencoderDetector(model: tf.LayersModel, window: number, scaler: Scaler): AnomalyDetector {
  return {
    family: 'autoencoder',
    window,
    scaler,
    scoreRows(values) {
      const m = windowMatrix(transform(scaler, values), window);
      const err = reconstructionErrors(model, m.x, window);
      return rowScores(values.length, window, (k, j) => err[k * window + j]);
    },
    saveModel: (dir) => saveLayersModel(model, dir),
    dispose: () => disposeAutoencoder(model),
  };
}
