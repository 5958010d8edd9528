/**
 * Step 3, for the network families: build the network and train it, reporting every epoch with an
 * ETA, saving a checkpoint every `checkpointEvery` epochs into the job's checkpoint folder, resuming
 * from the one found there, and honouring a cancel at the next batch. (The step itself, for every
 * family, is `trainStep` in fit.ts.)
 */
import type { ParamValue } from '../../shared/contract';
import { forecastKit, type CommonForecastParams, type FitResult, type Forecaster, type NetworkFamilyName, type TrainingSnapshot } from '../models';
import type { TrainTask } from '../workers';
import { sha256 } from './hash';
import type { Prepared } from './preprocess';
import { PROGRESS_EVERY_MS, RateEta, cancelled, formatLoss as fmt, type StepContext } from './report';

/** What the train step hands on, for every family. */
export interface Trained {
  forecaster: Forecaster;
  /** The kept network's epoch history; null for a model fitted without epochs (ridge, trees, a blend). */
  fit: FitResult | null;
  /** The model card's `training` section: how it was fitted and what was chosen. */
  training: Record<string, unknown>;
  /** Metrics of the fit itself, recorded with the run (the auto family's `candidates.<name>.val.*`). */
  metrics: Record<string, number>;
  /** Params the fit chose, recorded with the run (`l2`, `chosen`). */
  chosen: Record<string, ParamValue>;
}

/** Where a network's epochs go: the run's `loss`/`val_loss` series and the train step's progress, unless told otherwise. */
export interface NetworkReporting {
  /** False trains without checkpoints (an auto candidate is not resumed). */
  checkpoints: boolean;
  curve(epoch: number, loss: number, valLoss: number): void;
  progress(fraction: number, etaMs: number | null): void;
}

export const runCurve = (ctx: StepContext): NetworkReporting => ({
  checkpoints: true,
  curve(epoch, loss, valLoss) {
    ctx.report.metric('loss', epoch, loss);
    ctx.report.metric('val_loss', epoch, valLoss);
  },
  progress: (fraction, etaMs) => ctx.report.progress('train', fraction, etaMs),
});

/** The card's training section of a network: its epochs, best epoch, and both loss curves. */
export const networkTraining = (fit: FitResult) => ({
  method: 'network',
  epochsRun: fit.epochsRun,
  bestEpoch: fit.bestEpoch,
  bestValLoss: fit.bestValLoss,
  stopped: fit.stopped,
  resumedFromEpoch: fit.resumedFrom,
  loss: fit.loss,
  valLoss: fit.valLoss,
});

/**
 * What a checkpoint must match to be resumed: the same family, params, data and input shape. A job
 * retried with other params trains from the start rather than from a state that means something else.
 */
export function checkpointFingerprint(task: TrainTask, family: string, params: CommonForecastParams, prepared: Prepared): string {
  const { checkpointEvery: _every, ...rest } = params;
  return sha256(
    Buffer.from(
      JSON.stringify({
        family,
        params: rest,
        dataset: task.datasetSha256,
        target: task.spec.target,
        channels: prepared.preprocessing.channels,
        shape: prepared.shape,
        train: prepared.train.count,
        val: prepared.val.count,
      }),
    ),
  );
}

export async function trainNetwork(
  task: TrainTask,
  family: NetworkFamilyName,
  prepared: Prepared,
  p: CommonForecastParams,
  ctx: StepContext,
  out: NetworkReporting = runCurve(ctx),
): Promise<{ forecaster: Forecaster; fit: FitResult }> {
  const { report } = ctx;
  out.progress(0, null);
  const kit = await forecastKit();
  const model = kit.buildNetwork(family, p, prepared.shape);
  const fingerprint = checkpointFingerprint(task, family, p, prepared);
  let resume: TrainingSnapshot | undefined;
  try {
    report.info(
      `Training ${kit.describeNetwork(family, model, p, prepared.shape)}: up to ${p.epochs} epochs, batch ${p.batchSize}, ` +
        `Adam lr ${p.learningRate}, seed ${p.seed}, early stopping after ` +
        `${p.patience > 0 ? `${p.patience} epochs without improvement` : 'never'}, ` +
        `checkpoint ${out.checkpoints && p.checkpointEvery > 0 ? `every ${p.checkpointEvery} epochs` : 'never'}`,
    );
    const found = out.checkpoints ? await kit.readCheckpoint(task.checkpointDir, fingerprint) : { found: false as const };
    if (found.found && found.usable) {
      resume = found.snapshot;
      report.info(
        `Resuming from the checkpoint at epoch ${resume.epoch} (saved ${found.savedAt}); ` +
          `best val_loss so far ${fmt(resume.bestValLoss)} at epoch ${resume.bestEpoch}`,
      );
    } else if (found.found) {
      report.log('warn', `Ignoring the checkpoint in ${task.checkpointDir}: ${found.reason}; training from the start`);
    }
    const startEpoch = resume?.epoch ?? 0;
    const eta = new RateEta();
    let lastProgress = 0;
    let startBatch: number | null = null;
    // Loss lines for every epoch up to 100 epochs, then about 100 lines in all.
    const logEvery = Math.max(1, Math.ceil(p.epochs / 100));
    const fit = await kit.fitForecaster(model, {
      train: prepared.train,
      val: prepared.val,
      epochs: p.epochs,
      batchSize: p.batchSize,
      patience: p.patience,
      seed: p.seed,
      learningRate: p.learningRate,
      resume,
      shouldStop: ctx.shouldStop,
      log: (message) => report.info(message),
      checkpoint:
        out.checkpoints && p.checkpointEvery > 0
          ? {
              every: p.checkpointEvery,
              save: async (s) => {
                await kit.writeCheckpoint(task.checkpointDir, fingerprint, s);
                report.log('debug', `Checkpoint saved at epoch ${s.epoch}`);
              },
            }
          : undefined,
      onBatch(done, total) {
        // The rate counts only this start's batches: a resumed run did the earlier ones before.
        startBatch ??= done - 1;
        const now = Date.now();
        if (now - lastProgress < PROGRESS_EVERY_MS) return;
        lastProgress = now;
        out.progress(done / total, eta.estimate(done - startBatch, total - startBatch));
      },
      onEpoch(e) {
        out.curve(e.epoch, e.loss, e.valLoss);
        const etaMs = eta.estimate(e.epoch - startEpoch, e.epochs - startEpoch);
        if (e.epoch % logEvery === 0 || e.epoch === 1 || e.epoch === e.epochs) {
          const left = etaMs === null || e.epoch === e.epochs ? '' : `, about ${Math.ceil(etaMs / 1000)} s left`;
          report.info(`Epoch ${e.epoch}/${e.epochs} loss=${fmt(e.loss)} val_loss=${fmt(e.valLoss)}${left}`);
        }
        lastProgress = Date.now();
        out.progress(e.epoch / e.epochs, etaMs);
      },
    });
    if (fit.stopped === 'cancelled') throw cancelled();
    if (fit.stopped === 'early') {
      report.info(
        `Early stopping at epoch ${fit.epochsRun} (trained on ${fit.trainer}): val_loss has not improved for ${p.patience} epochs; ` +
          `keeping the weights of epoch ${fit.bestEpoch} (val_loss=${fmt(fit.bestValLoss)})`,
      );
    } else {
      report.info(`Trained ${fit.epochsRun} epochs on ${fit.trainer}; keeping the weights of epoch ${fit.bestEpoch} (val_loss=${fmt(fit.bestValLoss)})`);
    }
    out.progress(1, 0);
    return { forecaster: kit.makeForecaster(model, prepared.preprocessing, prepared.networkInput), fit };
  } catch (err) {
    kit.disposeModel(model);
    throw err;
  } finally {
    if (resume) kit.disposeSnapshot(resume);
  }
}
