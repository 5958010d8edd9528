/** The `studies` group of the API, over the study runner. Inputs arrive validated by the contract. */
import type { ApiHandlers } from '../../shared/contract';
import { defaultObjective, defaultSearchSpace, modelFamily } from '../models';
import { StudyRunner, type StudyRunnerDeps } from './runner';

export function studiesHandlers(deps: StudyRunnerDeps): ApiHandlers['studies'] {
  const runner = new StudyRunner(deps);
  return {
    create: (input) => runner.create(input),
    list: () => runner.list(),
    get: ({ id }) => runner.get(id),
    trials: ({ id, offset, limit }) => runner.trials(id, offset, limit),
    importance: ({ id }) => runner.importance(id),
    enqueue: ({ id, params }) => runner.enqueue(id, params),
    cancel: ({ id }) => runner.cancel(id),
    export: ({ id, format }) => runner.export(id, format),
    defaultSpace: async ({ model }) => defaultSearchSpace(model),
    objectives: async ({ model }) => {
      const family = modelFamily(model);
      return { metrics: [...family.metricKeys], default: defaultObjective(family.task), prunable: family.metricKeys.some((k) => k.perEpoch) };
    },
  };
}
