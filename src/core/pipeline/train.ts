/** Step 3: build the network and train it, reporting every epoch and honouring a cancel at the next batch. */
import type * as tf from '@tensorflow/tfjs';
import { forecastKit, type FitResult, type MlpParams } from '../models';
import type { Prepared } from './preprocess';
import { RateEta, cancelled, type StepContext } from './report';

export interface Trained {
  model: tf.LayersModel;
  fit: FitResult;
}

/** Progress events at most this often within an epoch; every epoch end reports anyway. */
const PROGRESS_EVERY_MS = 250;

const fmt = (v: number) => (Math.abs(v) >= 0.001 || v === 0 ? v.toFixed(4) : v.toExponential(3));

export async function trainStep(prepared: Prepared, p: MlpParams, ctx: StepContext): Promise<Trained> {
  const { report } = ctx;
  report.progress('train', 0);
  const { buildMlp, describeMlp, disposeModel, fitForecaster } = await forecastKit();
  const model = buildMlp(p);
  try {
    report.info(
      `Training ${describeMlp(model, p)}: up to ${p.epochs} epochs, batch ${p.batchSize}, Adam lr ${p.learningRate}, ` +
        `seed ${p.seed}, early stopping after ${p.patience > 0 ? `${p.patience} epochs without improvement` : 'never'}`,
    );
    const eta = new RateEta();
    let lastProgress = 0;
    // Loss lines for every epoch up to 100 epochs, then about 100 lines in all.
    const logEvery = Math.max(1, Math.ceil(p.epochs / 100));
    const fit = await fitForecaster(model, {
      train: prepared.train,
      val: prepared.val,
      epochs: p.epochs,
      batchSize: p.batchSize,
      patience: p.patience,
      seed: p.seed,
      shouldStop: ctx.shouldStop,
      onBatch(done, total) {
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        report.progress('train', done / total, eta.estimate(done, total));
      },
      onEpoch(e) {
        report.metric('loss', e.epoch, e.loss);
        report.metric('val_loss', e.epoch, e.valLoss);
        if (e.epoch % logEvery === 0 || e.epoch === 1 || e.epoch === e.epochs) {
          report.info(`Epoch ${e.epoch}/${e.epochs} loss=${fmt(e.loss)} val_loss=${fmt(e.valLoss)}`);
        }
        lastProgress = Date.now();
        report.progress('train', e.epoch / e.epochs, eta.estimate(e.epoch, e.epochs));
      },
    });
    if (fit.stopped === 'cancelled') throw cancelled();
    if (fit.stopped === 'early') {
      report.info(
        `Early stopping at epoch ${fit.epochsRun}: val_loss has not improved for ${p.patience} epochs; ` +
          `keeping the weights of epoch ${fit.bestEpoch} (val_loss=${fmt(fit.bestValLoss)})`,
      );
    } else {
      report.info(`Trained ${fit.epochsRun} epochs; keeping the weights of epoch ${fit.bestEpoch} (val_loss=${fmt(fit.bestValLoss)})`);
    }
    report.progress('train', 1, 0);
    return { model, fit };
  } catch (err) {
    disposeModel(model);
    throw err;
  }
}
