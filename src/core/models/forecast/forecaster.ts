/** A trained network forecaster: the network plus the preprocessing it was trained with, predicting on the original scale. */
import * as tf from '@tensorflow/tfjs';
import { saveLayersModel } from '../model-files';
import { disposeModel } from './mlp-network';
import { inputShape, type ForecastPreprocessing } from './features';
import { encodedForecaster, type Forecaster, type NetworkInput } from './predictor';
import { writePreprocessingFile } from './preprocessing-file';

export type { NetworkInput } from './predictor';

/** The network's scaled outputs for `count` encoded samples. */
async function predictScaled(model: tf.LayersModel, p: ForecastPreprocessing, x: Float64Array, count: number, input: NetworkInput) {
  const s = inputShape(p);
  const shape = input === 'flat' ? [count, s.steps * s.channels] : [count, s.steps, s.channels];
  const out = tf.tidy(() => model.predict(tf.tensor(Float32Array.from(x), shape)) as tf.Tensor);
  try {
    // Asynchronous: tfjs's webgpu backend in Node has no synchronous read (it needs an OffscreenCanvas).
    return await out.data();
  } finally {
    out.dispose();
  }
}

/** A forecaster over `model`; disposing it frees the model. */
export function makeForecaster(model: tf.LayersModel, p: ForecastPreprocessing, input: NetworkInput = 'flat'): Forecaster {
  return encodedForecaster(p, {
    kind: 'network',
    input,
    predictScaled: (x, count) => predictScaled(model, p, x, count, input),
    async save(dir, info) {
      const files = await saveLayersModel(model, dir);
      return [...files, await writePreprocessingFile(dir, p, { ...info, predictor: 'network', networkInput: input })];
    },
    dispose: () => disposeModel(model),
  });
}
