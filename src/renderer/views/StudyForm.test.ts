import { describe, expect, it } from 'vitest';
import { studyControlForField } from './StudyForm';

describe('studyControlForField', () => {
  it('points the core’s field paths at the form control beside which the error shows', () => {
    const cases: [string | undefined, string | null][] = [
      ['spec.space.learningRate', 'space'],
      ['spec.space.learningRate.when', 'space'],
      ['space.window', 'space'],
      ['spec.space', 'space'],
      ['spec.budget', 'budget'],
      ['spec.budget.trials', 'budget'],
      ['spec.sampler.values', 'sampler'],
      ['spec.pruner.maxResource', 'pruner'],
      ['spec.objective.metric', 'metric'],
      ['spec.objective.direction', 'direction'],
      ['spec.allowTestObjective', 'metric'],
      ['spec.name', 'name'],
      ['spec.parallelism', 'parallelism'],
      ['spec.seed', 'seed'],
      ['train.datasetId', 'dataset'],
      ['train.target', 'target'],
      ['train.model', 'model'],
      ['train.params.epochs', 'epochs'],
      ['train.labelColumn', 'label'],
      ['train.exogenous.0', 'exogenous'],
      ['priority', 'priority'],
      ['source.file', 'sample'],
      ['enqueue.0.lr', null],
      [undefined, null],
    ];
    for (const [field, control] of cases) expect(studyControlForField(field), String(field)).toBe(control);
  });
});
