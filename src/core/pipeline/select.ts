/**
 * Step 3 for the auto family: fit every candidate on the same split, score each on the validation
 * windows (original scale, the same targets whatever window a candidate reads), optionally blend
 * the best two or three weighted by inverse validation error, and keep the lowest validation error.
 * The test windows are not read here: evaluate scores the chosen model on them once.
 */
import type { ParamValue } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { metricRecord, regressionMetrics, type RegressionMetrics } from '../metrics';
import {
  FORECAST_FAMILY_SPECS,
  autoCandidates,
  blendForecaster,
  isNetworkFamily,
  type AutoCandidateFamily,
  type AutoParams,
  type CommonForecastParams,
  type Criterion,
  type ForecastFamilyName,
} from '../models';
import type { TrainTask } from '../workers';
import { trainGbdt, trainRidge } from './closed-form';
import type { Loaded } from './load';
import { prepareWindows, type Prepared } from './preprocess';
import { describeMetrics as describe } from './evaluate';
import { checkCancelled, formatLoss as fmt, type StepContext } from './report';
import { networkTraining, trainNetwork, type Trained } from './train';

interface Candidate {
  /** `linear_w25`, `linear_levels_w12`, `gbdt_w12`, `mlp_w12`, `blend_2`: also a metric key part and a folder name. */
  name: string;
  family: AutoCandidateFamily | 'blend';
  window: number;
  trained: Trained;
  /** Validation forecasts, aligned with the validation targets. */
  predicted: Float64Array;
  val: RegressionMetrics;
  seconds: number;
  /** A network's epoch curve, replayed as the run's own when it is chosen. */
  curve: { loss: number; valLoss: number }[];
  members?: string[];
}

/** The params that shape the data, shared by every candidate; the training-loop ones go to networks only. */
const DATA_KEYS = new Set(['window', 'horizon', 'seed', 'valFraction', 'testFraction', 'scaler', 'calendar', 'season', 'levels']);

interface Plan {
  family: AutoCandidateFamily;
  window: number;
  /** With the target's levels as inputs beside its differences. */
  levels: boolean;
  /** What ridge and trees minimise: absolute error forecasts the median, what MAE rewards. */
  loss: 'squared' | 'absolute';
}

const planName = (c: Plan) => `${c.family}${c.levels ? '_levels' : ''}${c.loss === 'absolute' ? '_abs' : ''}_w${c.window}`;

/** The keys of the job's own params a candidate family takes: its defaults fill in the rest. */
function paramsFor(family: ForecastFamilyName, raw: Record<string, ParamValue>): Record<string, ParamValue> {
  const spec = FORECAST_FAMILY_SPECS[family];
  const known = new Set(Object.keys(spec.defaults));
  const network = isNetworkFamily(family);
  return Object.fromEntries(Object.entries(raw).filter(([k]) => known.has(k) && (network || DATA_KEYS.has(k))));
}

const errorOf = (m: RegressionMetrics, c: Criterion) => (c === 'mae' ? m.mae : m.rmse);

/**
 * Ridge windows: the job's, then one and two seasons back (plus one: a window of w values holds
 * w - 1 differences); with no season, half and twice the job's.
 */
function ridgeWindows(p: AutoParams, season: number | null): number[] {
  const out = [p.window];
  if (p.seasonWindows && season !== null && season > 1) out.push(season + 1, 2 * season + 1);
  else if (p.seasonWindows) out.push(Math.ceil(p.window / 2), 2 * p.window);
  return [...new Set(out)].filter((w) => w >= 2 && w <= 1024);
}

export async function selectModel(task: TrainTask, loaded: Loaded, prepared: Prepared, p: AutoParams, ctx: StepContext): Promise<Trained> {
  const { report } = ctx;
  const raw = task.spec.params ?? {};
  const calendar = prepared.preprocessing.calendar;
  const families = autoCandidates(p);
  // Ridge over a few windows, each with and without levels; trees with and without levels; ridge
  // and trees on the job's window also fitted to absolute error (when choosing by MAE). All cheap
  // beside a network.
  const plans = families.flatMap((family): Plan[] => {
    const plain: Plan = { family, window: p.window, levels: p.levels, loss: 'squared' };
    if (family !== 'linear' && family !== 'gbdt') return [plain];
    const withLevels = (v: Plan): Plan[] => [v, ...(p.levels ? [] : [{ ...v, levels: true }])];
    const variants = withLevels(plain);
    const absolute = p.criterion === 'mae' ? variants.map((v): Plan => ({ ...v, loss: 'absolute' })) : [];
    const windows = family === 'linear' ? ridgeWindows(p, prepared.season).slice(1).flatMap((window) => withLevels({ ...plain, window })) : [];
    return [...variants, ...windows, ...absolute];
  });
  report.info(`Auto: fitting ${plans.map(planName).join(', ')}; choosing by validation ${p.criterion.toUpperCase()} on the original scale`);
  const candidates: Candidate[] = [];
  // A blend's members are candidates of their own: each is freed once.
  const disposeAll = () => candidates.forEach((c) => c.family !== 'blend' && c.trained.forecaster.dispose());
  try {
    for (const [i, plan] of plans.entries()) {
      // A network candidate stops at its next batch; the closed-form ones between candidates.
      checkCancelled(ctx);
      const span = (f: number, eta: number | null) => report.progress('train', (i + Math.min(1, f)) / plans.length, eta);
      const made = await fitCandidate(task, loaded, prepared, plan, raw, p.criterion, calendar, ctx, span);
      if (!made) continue;
      candidates.push(made);
      report.info(`Candidate ${made.name}: validation ${describe(made.val)} (${made.seconds.toFixed(1)} s)`);
    }
    if (candidates.length === 0) throw new Error('auto: no candidate could be fitted');
    if (p.blend) candidates.push(...blends(candidates, prepared, p.criterion));
    const ranked = [...candidates].sort((a, b) => errorOf(a.val, p.criterion) - errorOf(b.val, p.criterion));
    const chosen = ranked[0];
    const runnerUp = ranked[1];
    const reason =
      `the lowest validation ${p.criterion.toUpperCase()} of ${candidates.length} candidates (${fmt(errorOf(chosen.val, p.criterion))}` +
      (runnerUp ? `; next ${runnerUp.name} at ${fmt(errorOf(runnerUp.val, p.criterion))})` : ')');
    report.info(`Auto chose ${chosen.name}: ${reason}`);
    const keep = new Set([chosen.name, ...(chosen.members ?? [])]);
    for (const c of candidates) if (!keep.has(c.name) && c.family !== 'blend') c.trained.forecaster.dispose();
    // The chosen network's epochs become the run's own curve, as if it had been trained alone.
    chosen.curve.forEach((e, k) => {
      report.metric('loss', k + 1, e.loss);
      report.metric('val_loss', k + 1, e.valLoss);
    });
    const metrics: Record<string, number> = {};
    for (const c of candidates) Object.assign(metrics, metricRecord(`candidates.${c.name}.val`, c.val));
    return {
      forecaster: chosen.trained.forecaster,
      fit: chosen.trained.fit,
      training: {
        method: 'auto',
        criterion: p.criterion,
        chosen: chosen.name,
        reason,
        candidates: candidates.map((c) => ({
          name: c.name,
          family: c.family,
          window: c.window,
          seconds: c.seconds,
          members: c.members,
          val: { mae: c.val.mae, rmse: c.val.rmse, mape: c.val.mape, r2: c.val.r2 },
        })),
        chosenTraining: chosen.trained.training,
      },
      metrics,
      chosen: { chosen: chosen.name, ...chosen.trained.chosen },
    };
  } catch (err) {
    disposeAll();
    throw err;
  }
}

async function fitCandidate(
  task: TrainTask,
  loaded: Loaded,
  prepared: Prepared,
  plan: Plan,
  raw: Record<string, ParamValue>,
  criterion: Criterion,
  calendar: Prepared['preprocessing']['calendar'],
  ctx: StepContext,
  span: (fraction: number, etaMs: number | null) => void,
): Promise<Candidate | null> {
  const { family, window, levels, loss } = plan;
  const name = planName(plan);
  const spec = FORECAST_FAMILY_SPECS[family];
  const own: Record<string, ParamValue> = family === 'linear' || family === 'gbdt' ? { loss } : {};
  const params = spec.resolve({ ...paramsFor(family, raw), window, levels, ...own }) as CommonForecastParams & Record<string, ParamValue>;
  let prep = prepared;
  if (window !== prepared.preprocessing.window || levels !== prepared.preprocessing.levels || spec.input !== prepared.networkInput) {
    try {
      prep = prepareWindows(loaded, params, spec.input, calendar);
    } catch (err) {
      if (!(err instanceof InvalidInput)) throw err;
      ctx.report.log('warn', `Candidate ${name} skipped: ${err.message}`);
      return null;
    }
  }
  const started = performance.now();
  const curve: Candidate['curve'] = [];
  let trained: Trained;
  if (family === 'linear') {
    trained = trainRidge(prep, { l2: 'auto', loss }, criterion, ctx);
  } else if (family === 'gbdt') {
    trained = trainGbdt(prep, params as unknown as Parameters<typeof trainGbdt>[1], ctx);
  } else {
    const net = await trainNetwork(task, family, prep, params, ctx, {
      checkpoints: false,
      curve(epoch, loss, valLoss) {
        curve.push({ loss, valLoss });
        ctx.report.metric(`candidates.${name}.loss`, epoch, loss);
        ctx.report.metric(`candidates.${name}.val_loss`, epoch, valLoss);
      },
      progress: span,
    });
    trained = { forecaster: net.forecaster, fit: net.fit, training: networkTraining(net.fit), metrics: {}, chosen: {} };
  }
  span(1, null);
  const predicted = await trained.forecaster.predictWindows(prep.validation.raw);
  const bad = predicted.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) {
    ctx.report.log('warn', `Candidate ${name} left out: it predicts ${predicted[bad]} for validation window ${bad + 1}`);
    trained.forecaster.dispose();
    return null;
  }
  return {
    name,
    family,
    window,
    trained,
    predicted,
    val: regressionMetrics(prep.validation.actual, predicted),
    seconds: (performance.now() - started) / 1000,
    curve,
  };
}

/** Blends of the best two and three candidates, each weighted by the inverse of its validation error. */
function blends(singles: Candidate[], prepared: Prepared, criterion: Criterion): Candidate[] {
  const ranked = [...singles].sort((a, b) => errorOf(a.val, criterion) - errorOf(b.val, criterion));
  const out: Candidate[] = [];
  for (let k = 2; k <= Math.min(3, ranked.length); k++) {
    const members = ranked.slice(0, k);
    const errors = members.map((m) => errorOf(m.val, criterion));
    // A perfect member would take every weight; a blend adds nothing then.
    if (errors.some((e) => !(e > 0))) break;
    const weights = errors.map((e) => 1 / e);
    const total = weights.reduce((a, b) => a + b, 0);
    const predicted = new Float64Array(prepared.validation.count);
    members.forEach((m, i) => m.predicted.forEach((v, j) => (predicted[j] += (weights[i] / total) * v)));
    const forecaster = blendForecaster(members.map((m, i) => ({ name: m.name, weight: weights[i] / total, forecaster: m.trained.forecaster })));
    out.push({
      name: `blend_${k}`,
      family: 'blend',
      window: forecaster.preprocessing.window,
      trained: {
        forecaster,
        fit: null,
        training: { method: 'blend', members: members.map((m, i) => ({ name: m.name, weight: weights[i] / total })) },
        metrics: {},
        chosen: {},
      },
      predicted,
      val: regressionMetrics(prepared.validation.actual, predicted),
      seconds: 0,
      curve: [],
      members: members.map((m) => m.name),
    });
  }
  return out;
}
