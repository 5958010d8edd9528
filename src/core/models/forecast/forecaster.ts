/** A trained forecaster: the network plus the preprocessing it was trained with, predicting on the original scale. */
import * as tf from '@tensorflow/tfjs';
import { disposeModel } from './mlp-network';
import { decodeOutputs, encodeInputs, inputShape, lastValues, type ForecastPreprocessing, type RawInputs } from './features';

/** What a saved model needs to rebuild its inputs: the tensor shape per sample its network takes. */
export type NetworkInput = 'flat' | 'sequence';

const asRaw = (w: RawInputs | ArrayLike<number>): RawInputs => ('target' in w ? w : { target: w });

/**
 * Levels forecast `horizon` steps after the end of each raw window. A plain array is the target's
 * windows alone (row-major `count` x `window`), enough for a model without exogenous or calendar channels.
 */
export function predictLevels(
  model: tf.LayersModel,
  p: ForecastPreprocessing,
  windows: RawInputs | ArrayLike<number>,
  input: NetworkInput = 'flat',
): Float64Array {
  const raw = asRaw(windows);
  const count = Math.floor(raw.target.length / p.window);
  if (count === 0) return new Float64Array(0);
  const x = Float32Array.from(encodeInputs(p, raw));
  const s = inputShape(p);
  const shape = input === 'flat' ? [count, s.steps * s.channels] : [count, s.steps, s.channels];
  const out = tf.tidy(() => (model.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync());
  return decodeOutputs(p, out, lastValues(raw.target, p.window));
}

export interface Forecaster {
  readonly preprocessing: ForecastPreprocessing;
  readonly input: NetworkInput;
  /** Forecasts for each raw window, on the original scale. */
  predictWindows(windows: RawInputs | ArrayLike<number>): Float64Array;
  /** The value `horizon` steps after the last of `history` (at least `window` values, oldest first; target only). */
  forecast(history: ArrayLike<number>): number;
  dispose(): void;
}

export function makeForecaster(model: tf.LayersModel, p: ForecastPreprocessing, input: NetworkInput = 'flat'): Forecaster {
  return {
    preprocessing: p,
    input,
    predictWindows: (windows) => predictLevels(model, p, windows, input),
    forecast(history) {
      if (history.length < p.window) {
        throw new Error(`forecast needs the last ${p.window} values; got ${history.length}`);
      }
      const tail = Array.from(history).slice(history.length - p.window);
      return predictLevels(model, p, tail, input)[0];
    },
    dispose: () => disposeModel(model),
  };
}
