/**
 * Prediction and anomaly scoring on the webgpu backend, as a worker on a GPU workstation runs them:
 * tfjs-backend-webgpu in Node has no synchronous read (dataSync needs an OffscreenCanvas), so every
 * read of a network's outputs must be asynchronous. On a real WebGPU device (Dawn on SwiftShader,
 * test/helpers/software-gpu.ts) the numbers are those of the same weights on the cpu backend.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAllClose } from '../../../../test/helpers/fit-windows';
import { useSwiftShader } from '../../../../test/helpers/software-gpu';
import { selectBackend } from '../../compute';
import { makeWindows } from '../../data';
import { buildAutoencoder, disposeAutoencoder, reconstructionErrors } from '../anomaly/autoencoder-network';
import { resolveAutoencoderParams } from '../anomaly/params';
import { windowMatrix } from '../anomaly/windows';
import { writeWeights } from '../tfjs-state';
import { fitPreprocessing, inputShape, type ForecastPreprocessing } from './features';
import { makeForecaster } from './forecaster';
import { resolveMlpParams } from './mlp';
import { buildMlp } from './mlp-network';

useSwiftShader();
beforeAll(async () => {
  const backend = await selectBackend('webgpu');
  expect(backend.device).toMatch(/^gpu: /);
});
afterAll(() => tf.setBackend('cpu'));

const series = Float64Array.from({ length: 400 }, (_, i) => 10 + Math.sin(i / 5) + 0.01 * i);

/** The weights of `model`, read as a worker would read them on this backend. */
const weightsOf = (model: tf.LayersModel) => Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));

/** `build` on the cpu backend with `weights`; back on webgpu after `use`. */
async function onCpu<T>(build: () => tf.LayersModel, weights: Float32Array[], use: (m: tf.LayersModel) => Promise<T>): Promise<T> {
  await tf.setBackend('cpu');
  try {
    const model = build();
    writeWeights(model, weights);
    return await use(model);
  } finally {
    await tf.setBackend('webgpu');
  }
}

describe('prediction on the webgpu backend', () => {
  it('forecasts with an MLP as the same weights do on the cpu backend, and frees every tensor it made', async () => {
    expect(tf.getBackend()).toBe('webgpu');
    const window = 12;
    const w = makeWindows(series, window, 1);
    const p: ForecastPreprocessing = fitPreprocessing({ window, horizon: 1, scaler: 'standard', exogenous: [], calendar: [] }, { target: w.x }, w.y, { start: 0, end: 300 });
    const params = resolveMlpParams({ window, hiddenUnits: 16, layers: 2, seed: 3 });
    const s = inputShape(p);
    const build = () => buildMlp(params, s.steps * s.channels);
    // Every window of the series, one after another.
    const raw = w.x;

    const model = build();
    const weights = await weightsOf(model);
    const gpu = makeForecaster(model, p);
    const before = tf.memory().numTensors;
    const onGpu = await gpu.predictWindows(raw);
    const last = await gpu.forecast(series);
    expect(tf.memory().numTensors).toBe(before);
    gpu.dispose();

    const cpu = await onCpu(build, weights, async (m) => {
      const f = makeForecaster(m, p);
      try {
        return { windows: await f.predictWindows(raw), last: await f.forecast(series) };
      } finally {
        f.dispose();
      }
    });
    expect(onGpu).toHaveLength(w.count);
    expectAllClose(onGpu, cpu.windows, 1e-4, 'forecasts');
    expect(last).toBeCloseTo(cpu.last, 4);
  });

  it("scores an autoencoder's reconstruction errors as the same weights do on the cpu backend", async () => {
    const p = resolveAutoencoderParams({ window: 8, hiddenUnits: 16, bottleneck: 2 });
    expect(tf.getBackend()).toBe('webgpu');
    const x = windowMatrix(series, 8).x;
    const model = buildAutoencoder(p);
    try {
      const before = tf.memory().numTensors;
      const onGpu = await reconstructionErrors(model, x, 8);
      expect(tf.memory().numTensors).toBe(before);
      const weights = await weightsOf(model);
      const onCpuErr = await onCpu(
        () => buildAutoencoder(p),
        weights,
        async (m) => {
          try {
            return await reconstructionErrors(m, x, 8);
          } finally {
            disposeAutoencoder(m);
          }
        },
      );
      expect(onGpu).toHaveLength(x.length);
      expectAllClose(onGpu, onCpuErr, 1e-4, 'reconstruction errors');
    } finally {
      disposeAutoencoder(model);
    }
  });
});
