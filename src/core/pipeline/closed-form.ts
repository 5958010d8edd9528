/**
 * Step 3 for the families fitted without epochs: ridge (the linear family) in closed form, and
 * gradient-boosted trees. Both read the encoded windows in float64, exactly as inference encodes
 * them, and choose what they choose (the ridge penalty, the number of trees) on the validation
 * windows only.
 */
import { size } from '../data';
import {
  fitGbdt,
  fitRidge,
  gbdtForecaster,
  ridgeForecaster,
  type Criterion,
  type EncodedSamples,
  type GbdtParams,
  type LinearParams,
  type ValidationSamples,
} from '../models';
import type { Prepared } from './preprocess';
import { formatLoss as fmt, type StepContext } from './report';
import type { Trained } from './train';

/** The training and validation windows of `prepared`, encoded, as the closed-form fits read them. */
export function encodedSets(prepared: Prepared): { train: EncodedSamples; val: ValidationSamples & { y: Float64Array } } {
  const { encoded, plan, shape } = prepared;
  const features = shape.steps * shape.channels;
  const part = (start: number, end: number) => ({
    x: encoded.x.subarray(start * features, end * features),
    y: encoded.y.subarray(start, end),
    count: end - start,
  });
  const { train, val } = plan.windows;
  const v = part(val.start, val.end);
  return {
    train: { ...part(train.start, train.end), features },
    val: { ...v, last: encoded.last.subarray(val.start, val.end), actual: prepared.validation.actual },
  };
}

const penalty = (l2: number) => (l2 === 0 ? '0 (plain least squares)' : String(l2));

export function trainRidge(prepared: Prepared, p: Pick<LinearParams, 'l2' | 'loss'>, criterion: Criterion, ctx: StepContext): Trained {
  const { train, val } = encodedSets(prepared);
  const choice = fitRidge(prepared.preprocessing, train, val, p.l2, criterion, p.loss);
  const method = p.loss === 'absolute' ? 'Least absolute deviations (ridge, reweighted)' : 'Ridge in closed form';
  const c = choice.coefficients;
  const chosenError = choice.tried.find((t) => t.l2 === c.l2)!.error;
  ctx.report.info(
    p.l2 === 'auto'
      ? `${method} on ${train.count} training windows x ${train.features} inputs: l2 ${penalty(c.l2)} chosen from ` +
          `${choice.tried.length} penalties by validation ${criterion.toUpperCase()} ${fmt(chosenError)} (original scale; ` +
          `${choice.tried.map((t) => `${t.l2}: ${fmt(t.error)}`).join(', ')})`
      : `${method} on ${train.count} training windows x ${train.features} inputs, l2 ${penalty(c.l2)}: validation ${criterion.toUpperCase()} ${fmt(chosenError)}`,
  );
  return {
    forecaster: ridgeForecaster(prepared.preprocessing, c),
    fit: null,
    training: { method: p.loss === 'absolute' ? 'ridge, least absolute deviations' : 'closed-form ridge', l2: c.l2, l2Chosen: p.l2 === 'auto', criterion, tried: choice.tried, windows: size(prepared.plan.windows.train) },
    metrics: {},
    chosen: { l2_chosen: c.l2 },
  };
}

type TreeParams = Pick<GbdtParams, 'rounds' | 'learningRate' | 'patience' | 'maxLeaves' | 'maxDepth' | 'minLeaf' | 'l2' | 'bins' | 'subsample' | 'seed' | 'loss'>;

export function trainGbdt(prepared: Prepared, p: TreeParams, ctx: StepContext): Trained {
  const { train, val } = encodedSets(prepared);
  const fit = fitGbdt(train, { ...val, features: train.features }, p);
  const best = fit.valError[fit.bestRound - 1];
  ctx.report.info(
    `Gradient-boosted trees (${p.loss} loss) on ${train.count} training windows x ${train.features} inputs (up to ${p.maxLeaves} leaves, depth ` +
      `${p.maxDepth || 'unlimited'}, ${p.minLeaf}+ windows a leaf, l2 ${p.l2}, learning rate ${p.learningRate}): ` +
      `${fit.stoppedEarly ? `stopped after ${fit.valError.length} rounds` : `${fit.valError.length} rounds`}; ` +
      `keeping ${fit.bestRound} trees (validation ${p.loss === 'absolute' ? 'MAE' : 'MSE'} ${fmt(best)} on the scaled change)`,
  );
  return {
    forecaster: gbdtForecaster(prepared.preprocessing, fit.model),
    fit: null,
    training: { method: 'gradient-boosted trees', loss: p.loss, roundsRun: fit.valError.length, trees: fit.bestRound, stoppedEarly: fit.stoppedEarly, valError: fit.valError },
    metrics: {},
    chosen: { trees_kept: fit.bestRound },
  };
}
