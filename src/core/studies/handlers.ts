/** The `studies` group of the API. Filled in by the study runner; until then each method says so. */
import type { ApiHandlers } from '../../shared/contract';
import { Unavailable } from '../../shared/errors';

export function studiesHandlers(): ApiHandlers['studies'] {
  const notYet = async (): Promise<never> => {
    throw new Unavailable('Studies are not available in this version of Trainyard');
  };
  return { create: notYet, list: notYet, get: notYet, trials: notYet, importance: notYet, enqueue: notYet, cancel: notYet, export: notYet, defaultSpace: notYet };
}
