/** The part of every forecast family's default search space that tunes the shared params. */
import type { SearchSpaceInput } from '../../../shared/contract';

/** What shapes the data every family sees: the window and the scaler. */
export const DATA_SEARCH_SPACE: SearchSpaceInput = {
  window: { type: 'int', low: 6, high: 48 },
  scaler: { type: 'categorical', choices: ['standard', 'robust', 'minmax'] },
};

/** The network families' space: the data's, plus the training loop's step and batch. */
export const COMMON_SEARCH_SPACE: SearchSpaceInput = {
  window: DATA_SEARCH_SPACE.window,
  learningRate: { type: 'float', low: 1e-4, high: 3e-2, log: true },
  batchSize: { type: 'categorical', choices: [16, 32, 64] },
  scaler: DATA_SEARCH_SPACE.scaler,
};
