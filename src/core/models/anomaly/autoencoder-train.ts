/** Builds and trains the autoencoder on the training windows, early-stopping on the validation windows. */
import { fitScaler, transform } from '../../data';
import { makeAutoencoderDetector } from './autoencoder-detector';
import { fitAutoencoder, type AutoencoderFitOptions, type AutoencoderFitResult } from './autoencoder-fit';
import { buildAutoencoder, describeAutoencoder, disposeAutoencoder } from './autoencoder-network';
import type { AnomalyDetector } from './detector';
import type { AutoencoderParams } from './params';
import { windowMatrix, windowsWithin } from './windows';

export interface AutoencoderTraining {
  detector: AnomalyDetector;
  fit: AutoencoderFitResult;
  description: string;
}

type Hooks = Pick<AutoencoderFitOptions, 'shouldStop' | 'onEpoch' | 'onBatch'>;

/**
 * Scaler fitted on rows [train.start, train.end); windows wholly inside the training rows train,
 * those wholly inside the validation rows drive early stopping.
 */
export async function trainAutoencoderDetector(
  values: Float64Array,
  rows: { train: { start: number; end: number }; val: { start: number; end: number } },
  p: AutoencoderParams,
  hooks: Hooks = {},
): Promise<AutoencoderTraining> {
  const scaler = fitScaler(values.subarray(rows.train.start, rows.train.end));
  const m = windowMatrix(transform(scaler, values), p.window);
  const w = p.window;
  const tw = windowsWithin(rows.train, w);
  const vw = windowsWithin(rows.val, w);
  const model = buildAutoencoder(p);
  try {
    const fit = await fitAutoencoder(model, {
      train: m.x.subarray(tw.start * w, tw.end * w),
      val: m.x.subarray(vw.start * w, vw.end * w),
      window: w,
      epochs: p.epochs,
      batchSize: p.batchSize,
      patience: p.patience,
      seed: p.seed,
      learningRate: p.learningRate,
      ...hooks,
    });
    return { detector: makeAutoencoderDetector(model, w, scaler), fit, description: describeAutoencoder(model, p) };
  } catch (err) {
    disposeAutoencoder(model);
    throw err;
  }
}
