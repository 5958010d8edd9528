/** A trained forecaster: the network plus the preprocessing it was trained with, predicting on the original scale. */
import * as tf from '@tensorflow/tfjs';
import { disposeModel } from './mlp-network';
import { decodeOutputs, encodeInputs, featureCount, lastValues, type ForecastPreprocessing } from './features';

/** Levels forecast `horizon` steps after the end of each raw window (row-major `count` x `window`). */
export function predictLevels(model: tf.LayersModel, p: ForecastPreprocessing, windows: ArrayLike<number>): Float64Array {
  const count = Math.floor(windows.length / p.window);
  if (count === 0) return new Float64Array(0);
  const inputs = Float32Array.from(encodeInputs(p, windows));
  const out = tf.tidy(() => (model.predict(tf.tensor2d(inputs, [count, featureCount(p.window)])) as tf.Tensor).dataSync());
  return decodeOutputs(p, out, lastValues(windows, p.window));
}

export interface Forecaster {
  readonly preprocessing: ForecastPreprocessing;
  /** Forecasts for each raw window (row-major `count` x `window`), on the original scale. */
  predictWindows(windows: ArrayLike<number>): Float64Array;
  /** The value `horizon` steps after the last of `history` (at least `window` values, oldest first). */
  forecast(history: ArrayLike<number>): number;
  dispose(): void;
}

export function makeForecaster(model: tf.LayersModel, p: ForecastPreprocessing): Forecaster {
  return {
    preprocessing: p,
    predictWindows: (windows) => predictLevels(model, p, windows),
    forecast(history) {
      if (history.length < p.window) {
        throw new Error(`forecast needs the last ${p.window} values; got ${history.length}`);
      }
      const tail = Array.from(history).slice(history.length - p.window);
      return predictLevels(model, p, tail)[0];
    },
    dispose: () => disposeModel(model),
  };
}
