import { describe, expect, it } from 'vitest';
import { useSwiftShader } from '../../../test/helpers/software-gpu';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import { loadForecaster, runTrainTask } from './index';
import { collect, sampleTask } from './testing';

// The whole job on the webgpu backend, as a GPU workstation runs it: Dawn on SwiftShader here
// (test/helpers/software-gpu.ts), slow but the same code path, reads and all.
const tmp = tempDirPerTest();

describe('the training pipeline on the webgpu backend', () => {
  it('trains the MLP with the WGSL trainer, evaluates, saves, and the saved model predicts', async () => {
    useSwiftShader();
    const dir = tmp();
    const c = collect();
    const task = sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochs: 3 }, { backend: 'webgpu' });
    const result = await runTrainTask(task, { emit: c.emit });
    expect(result.backend).toBe('webgpu');
    expect(result.device).toMatch(/^gpu: google/);
    const logs = c.logs();
    expect(logs).toContain("Training on Trainyard's WGSL dense trainer on WebGPU");
    for (const key of ['test.mae', 'test.rmse', 'test.mape', 'test.r2']) expect(Number.isFinite(result.metrics[key]), key).toBe(true);
    expect(c.metrics('val_loss').length).toBe(3);
    const f = await loadForecaster(task.modelDir);
    try {
      const predicted = await f.predictWindows(Array.from({ length: 24 }, (_, i) => 330 + i / 10));
      expect(predicted.length).toBe(2);
      predicted.forEach((v) => expect(Number.isFinite(v)).toBe(true));
    } finally {
      f.dispose();
    }
  });

  // The families tfjs itself trains (their layers are not dense ReLU): one epoch each, to see that
  // nothing on their way from training to the saved model reads synchronously.
  it.each(['lstm', 'conv1d'] as const)('trains, evaluates and saves the %s family with tfjs on webgpu', async (model) => {
    useSwiftShader();
    const dir = tmp();
    const c = collect();
    const task = sampleTask(dir, 'co2-concentration.csv', 'CO2', { epochs: 1 }, { backend: 'webgpu' }, { model });
    const result = await runTrainTask(task, { emit: c.emit });
    expect(result.backend).toBe('webgpu');
    expect(Number.isFinite(result.metrics['test.rmse'])).toBe(true);
  });

  it('trains and scores the anomaly autoencoder on webgpu', async () => {
    useSwiftShader();
    const dir = tmp();
    const task = sampleTask(dir, 'seattle-temperature-anomalies.csv', 'temperature', { window: 24, epochs: 1 }, { backend: 'webgpu' }, { model: 'autoencoder', labelColumn: 'anomaly' });
    const result = await runTrainTask(task, { emit: () => {} });
    expect(result.backend).toBe('webgpu');
    expect(Number.isFinite(result.metrics['test.roc_auc'])).toBe(true);
  });
});
