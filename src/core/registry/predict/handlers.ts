/** Predict and evaluate over registered versions. */
import type { ApiHandlers } from '../../../shared/contract';
import { Unavailable } from '../../../shared/errors';
import type { RegistryDeps } from '../deps';
import type { ModelScorer, RegistryPort } from '../ports';

export type PredictMethods = Pick<ApiHandlers['models'], 'predict' | 'evaluate'>;

const notBuilt = async (): Promise<never> => {
  throw new Unavailable('Predict is not built yet');
};

export function createScorer(_deps: RegistryDeps): ModelScorer {
  return { evaluate: notBuilt };
}

export function predictHandlers(_deps: RegistryDeps, _registry: RegistryPort, _scorer: ModelScorer): PredictMethods {
  return { predict: notBuilt, evaluate: notBuilt };
}
