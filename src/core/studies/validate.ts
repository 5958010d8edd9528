/**
 * What a study is checked against before it is stored: its space (core/hpo), its sampler and pruner,
 * the model family's params (a space that proposes a value the model refuses would fail every
 * trial), the dataset, and the warm-start params. Every refusal is an InvalidInput naming the field.
 */
import type { ParamDistribution, ParamValue, StudySpec, TrainSpec } from '../../shared/contract';
import { InvalidInput, NotFound, TrainyardError } from '../../shared/errors';
import { checkDataHandling } from '../data';
import type { DatasetCatalog } from '../datasets';
import { checkAssignment, createPruner, createSampler, validateSpace, type Pruner, type Sampler, type ValidSpace } from '../hpo';
import { resolveParams } from '../models';

/** The per-epoch series a training job reports; any other objective is read from the finished run. */
const PER_EPOCH = new Set(['loss', 'val_loss']);

export interface StudyParts {
  space: ValidSpace;
  sampler: Sampler;
  pruner: Pruner;
  /** The run metric whose per-epoch points are the trial's intermediate values. */
  intermediateKey: string;
}

/**
 * Builds the space, sampler and pruner of a study. The pruner reads the intermediate series: the
 * objective itself when it is per-epoch, else `val_loss`, which is always minimised whatever the
 * objective's direction.
 */
export function studyParts(spec: StudySpec, field = 'spec'): StudyParts {
  const space = validateSpace(spec.space, `${field}.space`);
  const sampler = withField(() => createSampler(spec.sampler, space, spec.objective.direction, spec.seed), field);
  const perEpoch = PER_EPOCH.has(spec.objective.metric);
  const intermediateKey = perEpoch ? spec.objective.metric : 'val_loss';
  const pruner = withField(() => createPruner(spec.pruner, perEpoch ? spec.objective.direction : 'minimize', spec.seed), field);
  return { space, sampler, pruner, intermediateKey };
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
export function checkSpaceFitsModel(train: TrainSpec, space: ValidSpace, field = 'spec.space'): void {
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
export function checkWarmStart(train: TrainSpec, space: ValidSpace, params: Record<string, ParamValue>, field: string): void {
  checkAssignment(space, params, field);
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
