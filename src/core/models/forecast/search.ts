/** The part of every forecast family's default search space that tunes the shared params. */
import type { SearchSpaceInput } from '../../../shared/contract';

export const COMMON_SEARCH_SPACE: SearchSpaceInput = {
  window: { type: 'int', low: 6, high: 48 },
  learningRate: { type: 'float', low: 1e-4, high: 3e-2, log: true },
  batchSize: { type: 'categorical', choices: [16, 32, 64] },
  scaler: { type: 'categorical', choices: ['standard', 'robust', 'minmax'] },
};
