/**
 * Predict and evaluate as a worker process runs them: load each saved model (TensorFlow.js only
 * here, never in the core), read the data file as its training read its dataset, score. Errors go
 * back as values with their type (see Outcome in the worker protocol).
 */
import { InvalidInput, TrainyardError, toWireError } from '../../../shared/errors';
import { forcedBackend, selectBackend } from '../../compute';
import type { TrainingFrame } from '../../data';
import { anomalyKit, loadForecaster, type Forecaster } from '../../models';
import type { EvaluateOutput, EvaluateTask, Outcome, PredictOutput, PredictTask, ScoreModel } from '../../workers';
import { anomalyRowMetrics, anomalyScores, anomalyTable, type SavedDetector } from './anomaly';
import { readModelCard, testRowsOf, type ModelCardView, type Range } from './card';
import { forecastMetrics, forecastTable, firstPredictableRow } from './forecast';
import { frameFor, readDataTable } from './frame';
import { rowKey } from './table';

type Loaded = { view: ModelCardView; forecaster: Forecaster; detector?: undefined } | { view: ModelCardView; detector: SavedDetector; forecaster?: undefined };

async function outcome<T>(fn: () => Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    return { ok: false, error: toWireError(err) };
  }
}

let activeBackend: string | null = null;

/**
 * Networks predict on the backend they were trained on where this machine has it, so the numbers
 * are the run's to the last bit; else on the best one here. Ridge, trees and forests need none.
 */
async function backendFor(model: ScoreModel, view: ModelCardView): Promise<void> {
  const predictor = model.card.predictor;
  const usesTf = view.family === 'autoencoder' || predictor === 'network' || predictor === 'blend';
  if (!usesTf) return;
  const wanted = forcedBackend(view.backend) ?? 'best';
  if (activeBackend === wanted) return;
  try {
    await selectBackend(wanted === 'best' ? undefined : wanted);
  } catch {
    // The training backend is missing here (a model pulled from another machine): the best one here will do.
    await selectBackend(forcedBackend());
  }
  activeBackend = wanted;
}

async function load(model: ScoreModel): Promise<Loaded> {
  const view = readModelCard(model.card, model.label);
  await backendFor(model, view);
  try {
    if (view.schema.task === 'forecast') return { view, forecaster: await loadForecaster(model.dir) };
    return { view, detector: await (await anomalyKit()).loadDetector(model.dir) };
  } catch (err) {
    // A loader's own words ("byte length of Float32Array...") say nothing of which model failed.
    if (err instanceof TrainyardError) throw err;
    throw new Error(`The model files of ${model.label} in ${model.dir} do not load: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const dispose = (m: Loaded) => (m.forecaster ? m.forecaster.dispose() : m.detector!.detector.dispose());

export function runPredictTask(task: PredictTask): Promise<Outcome<PredictOutput>> {
  return outcome(async () => {
    const table = await readDataTable(task.file);
    const model = await load(task.model);
    try {
      const frame = frameFor(table, model.view, task.file, false);
      // Awaited here, so the model is disposed only once it has predicted.
      return await (model.forecaster ? forecastTable(model.forecaster, frame, model.view, task.file) : anomalyTable(model.detector!, frame, task.file));
    } finally {
      dispose(model);
    }
  });
}

/** The first row each model can score: a full window (and, for forecasts, the horizon) before it. */
const firstScored = (m: Loaded) => (m.forecaster ? firstPredictableRow(m.forecaster) : m.detector!.detector.window - 1);

export function runEvaluateTask(task: EvaluateTask): Promise<Outcome<EvaluateOutput>> {
  return outcome(async () => {
    const table = await readDataTable(task.file);
    const models: Loaded[] = [];
    try {
      for (const m of task.models) models.push(await load(m));
      const frames = models.map((m) => frameFor(table, m.view, task.file, true));
      const first = frames[0].series;
      const n = first.values.length;
      frames.forEach((f, i) => {
        if (f.series.values.length !== n) {
          throw new InvalidInput(
            `${task.models[i].label} resolves ${task.file.name} to ${f.series.values.length} rows and ${task.models[0].label} to ${n} ` +
              '(their data handling differs), so they cannot be scored on the same rows',
          );
        }
      });
      const wanted: Range = task.rows === 'test' ? testRowsOf(models[0].view, first, task.models[0].label) : { start: 0, end: n };
      const rows: Range = { start: Math.max(wanted.start, ...models.map(firstScored)), end: wanted.end };
      if (rows.end <= rows.start) {
        throw new InvalidInput(
          `No row of ${task.file.name} can be scored by every model: the ${task.rows} rows are ${wanted.start}-${wanted.end - 1} and ` +
            `the models need windows up to row ${rows.start}`,
        );
      }
      // In turn, as before: one model's tensors on the backend at a time.
      const metrics: Record<string, number>[] = [];
      for (let i = 0; i < models.length; i++) metrics.push(await scoreRows(models[i], frames[i], rows, task));
      const noFuture = { frequency: null, stepMs: null };
      return {
        rows: { which: task.rows, count: rows.end - rows.start, from: String(rowKey(first, rows.start, noFuture)), to: String(rowKey(first, rows.end - 1, noFuture)) },
        metrics,
      };
    } finally {
      models.forEach(dispose);
    }
  });
}

async function scoreRows(m: Loaded, frame: TrainingFrame, rows: Range, task: EvaluateTask): Promise<Record<string, number>> {
  if (m.forecaster) return forecastMetrics(m.forecaster, frame, rows);
  return anomalyRowMetrics(m.detector!, frame, await anomalyScores(m.detector!, frame, task.file), rows);
}
