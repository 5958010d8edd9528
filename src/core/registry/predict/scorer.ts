/**
 * Predict and evaluate from the core's side: each runs as one task in a worker process through the
 * pool (TensorFlow.js never loads in the core, and a crash in a model takes down that worker only),
 * and the typed error a worker sends back is thrown here as the same type.
 */
import type { PredictResult } from '../../../shared/contract';
import { Conflict, InvalidInput, TrainyardError, Unavailable, type WireError } from '../../../shared/errors';
import type { EvaluateOutput, Outcome, PredictOutput, ScoreModel, WorkerPool } from '../../workers';
import type { DataFile, ModelOnDisk, ModelScorer } from '../ports';

const labelOf = (m: ModelOnDisk) => `${m.version.model}:${m.version.version}`;
const scoreModel = (m: ModelOnDisk): ScoreModel => ({ label: labelOf(m), dir: m.dir, card: m.card });

function rebuilt(w: WireError): Error {
  switch (w.code) {
    case 'InvalidInput':
      return new InvalidInput(w.message, w.field);
    case 'Conflict':
      return new Conflict(w.message);
    case 'Unavailable':
      return new Unavailable(w.message);
    case 'NotFound':
      return new TrainyardError('NotFound', w.message);
    default:
      return new Error(w.message);
  }
}

function valueOf<T>(o: Outcome<T>): T {
  if (!o.ok) throw rebuilt(o.error);
  return o.value;
}

/** Predictions of one model on a data file, with how long they took. */
/** A command model holds whatever its program saved; only that program knows how to load it. */
function assertPredicts(model: ModelOnDisk): void {
  if (model.version.schema.task === 'command') {
    throw new InvalidInput(`${labelOf(model)} holds the files of a command run: a command model has no built-in predict (load its files with the program that wrote them)`, 'ref');
  }
}

export async function predictModel(pool: WorkerPool, model: ModelOnDisk, file: DataFile): Promise<PredictResult> {
  assertPredicts(model);
  const started = Date.now();
  // comlink's Remote type distributes over the Outcome union; the value is the worker's Outcome as sent.
  const task = pool.run((api) => api.predict({ model: scoreModel(model), file: { path: file.path, name: file.name } }) as Promise<Outcome<PredictOutput>>);
  const out: PredictOutput = valueOf(await task.result);
  return { model: model.version.model, version: model.version.version, ...out, durationMs: Date.now() - started };
}

/** Refuses models that cannot be compared on the same rows: different tasks or targets. */
export function checkComparable(models: ModelOnDisk[]): void {
  const [first, ...rest] = models;
  for (const m of rest) {
    const a = first.version.schema;
    const b = m.version.schema;
    if (a.task !== b.task) throw new InvalidInput(`${labelOf(first)} is a ${a.task} model and ${labelOf(m)} a ${b.task} model; evaluate compares models of one task`, 'refs');
    if (a.target !== b.target) {
      throw new InvalidInput(`${labelOf(first)} predicts "${a.target}" and ${labelOf(m)} predicts "${b.target}"; evaluate compares models of one target`, 'refs');
    }
  }
}

export async function evaluateModels(pool: WorkerPool, models: ModelOnDisk[], file: DataFile, rows: 'test' | 'all'): Promise<EvaluateOutput> {
  if (models.length === 0) throw new InvalidInput('Name at least one model to evaluate', 'refs');
  checkComparable(models);
  models.forEach(assertPredicts);
  const task = pool.run((api) => api.evaluate({ models: models.map(scoreModel), file: { path: file.path, name: file.name }, rows }) as Promise<Outcome<EvaluateOutput>>);
  return valueOf(await task.result);
}

export function poolScorer(pool: WorkerPool): ModelScorer {
  return { evaluate: (models, file, rows) => evaluateModels(pool, models, file, rows) };
}
