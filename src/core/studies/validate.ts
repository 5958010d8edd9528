/**
 * What a study is checked against before it is stored: its space (core/hpo), its sampler and pruner,
 * the model family's params (a space that proposes a value the model refuses would fail every
 * trial), the dataset, and the warm-start params. Every refusal is an InvalidInput naming the field.
 */
import type { MetricKey, ParamDistribution, ParamValue, StudySpec, StudyTrainSpec, TrainSpec } from '../../shared/contract';
import { templateParams } from '../commands';
import { InvalidInput, NotFound, TrainyardError } from '../../shared/errors';
import { checkDataHandling } from '../data';
import type { DatasetCatalog } from '../datasets';
import { checkAssignment, createPruner, createSampler, validateSpace, type Pruner, type Sampler, type ValidSpace } from '../hpo';
import { modelFamily, resolveParams } from '../models';

/** The series a pruner reads when the objective is not itself per-epoch: every network trained epoch by epoch reports it. */
const PRUNING_SERIES = 'val_loss';

/** What a command study's runs are recorded as: the `model` its checks go by. */
export const COMMAND_MODEL = 'command';

/** The model a study's trials record: the family, or `command` for the user's own program. */
export const trainModel = (train: StudyTrainSpec): string => (train.kind === 'train' ? train.model : COMMAND_MODEL);

export interface StudyParts {
  space: ValidSpace;
  sampler: Sampler;
  pruner: Pruner;
  /** The run metric whose per-epoch points are the trial's intermediate values; null when the family reports none. */
  intermediateKey: string | null;
}

/** The per-epoch series the trials' intermediate values are: the objective when it is one, else `val_loss`, else none. */
export function intermediateKeyOf(spec: StudySpec, model: string): string | null {
  // A command's objective is whatever it reports, step by step: the pruner reads that series.
  if (model === COMMAND_MODEL) return spec.objective.metric;
  const perEpoch = modelFamily(model).metricKeys.filter((k) => k.perEpoch);
  if (perEpoch.some((k) => k.key === spec.objective.metric)) return spec.objective.metric;
  return perEpoch.some((k) => k.key === PRUNING_SERIES) ? PRUNING_SERIES : null;
}

/**
 * Builds the space, sampler and pruner of a study. The pruner reads the intermediate series: the
 * objective itself when it is per-epoch, else `val_loss`, which is always minimised whatever the
 * objective's direction.
 */
export function studyParts(spec: StudySpec, model: string, field = 'spec'): StudyParts {
  const space = validateSpace(spec.space, `${field}.space`);
  const sampler = withField(() => createSampler(spec.sampler, space, spec.objective.direction, spec.seed), field);
  const intermediateKey = intermediateKeyOf(spec, model);
  const pruner = withField(() => createPruner(spec.pruner, intermediateKey === spec.objective.metric ? spec.objective.direction : 'minimize', spec.seed), field);
  return { space, sampler, pruner, intermediateKey };
}

const keyList = (keys: readonly MetricKey[]) => keys.map((k) => k.key).join(', ');

/**
 * The objective is a metric the family's runs report, measured on validation (or on test with
 * `allowTestObjective`), in the direction it gets better; and a pruner has a per-epoch series to
 * read. Refused here, at create, rather than by every trial failing one after another.
 */
export function checkObjective(spec: StudySpec, model: string, field = 'spec'): void {
  // Trainyard cannot know what a command reports: the objective is the user's word, checked when the first trial ends.
  if (model === COMMAND_MODEL) return;
  const keys = modelFamily(model).metricKeys;
  const { metric, direction } = spec.objective;
  const at = `${field}.objective.metric`;
  const found = keys.find((k) => k.key === metric);
  const validation = keys.filter((k) => k.split === 'validation');
  if (!found) {
    throw new InvalidInput(`${at}: the ${model} model's runs do not report ${JSON.stringify(metric)}; valid keys: ${keyList(keys)}`, at);
  }
  if (found.split === 'test' && !spec.allowTestObjective) {
    throw new InvalidInput(
      `${at}: ${JSON.stringify(metric)} is measured on the test split. Select on validation, report on test: choose a validation metric ` +
        `(${keyList(validation)}), or set allowTestObjective: true to optimise on test knowingly (its test score then overstates the model)`,
      at,
    );
  }
  if (found.split === 'train') {
    throw new InvalidInput(`${at}: ${JSON.stringify(metric)} is measured on the training rows and rewards overfitting; choose a validation metric (${keyList(validation)})`, at);
  }
  if (direction !== found.direction) {
    throw new InvalidInput(`${field}.objective.direction: ${metric} gets better as it ${found.direction === 'minimize' ? 'falls' : 'rises'}; ${found.direction} it`, `${field}.objective.direction`);
  }
  if (spec.pruner.type !== 'none' && intermediateKeyOf(spec, model) === null) {
    throw new InvalidInput(
      `${field}.pruner: the ${model} model reports no per-epoch series, so a ${spec.pruner.type} pruner has nothing to read; use { "type": "none" }`,
      `${field}.pruner`,
    );
  }
}

/** Prefixes a field path the hpo module gives (`sampler.values`) with where the spec sits. */
function withField<T>(fn: () => T, field: string): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof InvalidInput && err.field) throw new InvalidInput(`${field}.${err.message}`, `${field}.${err.field}`);
    throw err;
  }
}

/** The values of a distribution the model must accept: both ends of a range, every choice. */
function probes(d: ParamDistribution): ParamValue[] {
  return d.type === 'categorical' ? d.choices : [d.low, d.high];
}

/** Every parameter of the space, at its extremes, is one the model family accepts. */
export function checkSpaceFitsModel(train: StudyTrainSpec, space: ValidSpace, field = 'spec.space'): void {
  if (train.kind === 'command') {
    // Every placeholder of the template is a param of the space or of the command itself.
    const known = new Set([...Object.keys(train.params), ...space.params.map((p) => p.name)]);
    const missing = templateParams(train.argv).filter((n) => !known.has(n));
    if (missing.length) {
      throw new InvalidInput(`train.argv names {${missing.join('}, {')}}, which neither the space nor train.params sets (the space has ${space.params.map((p) => p.name).join(', ') || 'no params'})`, 'train.argv');
    }
    return;
  }
  for (const p of space.params) {
    for (const v of probes(p.dist)) {
      try {
        resolveParams(train.model, { ...train.params, [p.name]: v });
      } catch (err) {
        if (err instanceof TrainyardError) {
          throw new InvalidInput(`${field}.${p.name}: ${JSON.stringify(v)} is refused by the ${train.model} model (${err.message})`, `${field}.${p.name}`);
        }
        throw err;
      }
    }
  }
  try {
    resolveParams(train.model, train.params);
  } catch (err) {
    if (err instanceof InvalidInput) throw new InvalidInput(err.message, `train.${err.field ?? 'params'}`);
    throw err;
  }
}

/** Warm-start params: in the space, and accepted by the model. */
export function checkWarmStart(train: StudyTrainSpec, space: ValidSpace, params: Record<string, ParamValue>, field: string): void {
  checkAssignment(space, params, field);
  if (train.kind === 'command') return;
  try {
    resolveParams(train.model, { ...train.params, ...params });
  } catch (err) {
    if (err instanceof InvalidInput) throw new InvalidInput(`${field}: ${err.message}`, err.field ? `${field}.${err.field.replace(/^params\./, '')}` : field);
    throw err;
  }
}

/** The dataset exists and the target is one of its numeric columns (what the queue would refuse at each trial). */
export async function checkDataset(datasets: DatasetCatalog, train: TrainSpec): Promise<void> {
  const dataset = await datasets.get(train.datasetId).catch((err: unknown) => {
    if (err instanceof NotFound) throw new InvalidInput(`Dataset ${train.datasetId} was not found`, 'train.datasetId');
    throw err;
  });
  const column = dataset.columns.find((c) => c.name === train.target);
  if (!column) throw new InvalidInput(`Column ${JSON.stringify(train.target)} is not in dataset ${dataset.name} (columns: ${dataset.columns.map((c) => c.name).join(', ')})`, 'train.target');
  if (column.type !== 'number') throw new InvalidInput(`Column ${JSON.stringify(train.target)} holds ${column.type} values; it must be numeric`, 'train.target');
  checkDataHandling(train.data, dataset, 'train.data');
}
