/**
 * Hyperparameter optimisation, as pure functions of a study's trials (no store, queue or UI):
 * search-space validation, samplers (random, grid, TPE univariate and multivariate with a constant
 * liar), pruners (median, ASHA, hyperband), parameter importance (fANOVA) and test objectives.
 */
export { validateSpace, checkAssignment, activeParams, isActive, contains, assignmentKey, type ParamSpec, type ValidSpace } from './space';
export type { Assignment, Pruner, Sampler, TrialView } from './types';
export { Rng } from './rng';
export {
  createSampler,
  GridSampler,
  enumerateGrid,
  MAX_GRID_SIZE,
  RandomSampler,
  randomAssignment,
  TpeSampler,
  defaultGamma,
  type GridOptions,
  type TpeOptions,
} from './samplers';
export { TEST_OBJECTIVES, branin, hartmann6, rosenbrock, rastrigin, ackley, mixed, type TestObjective } from './objectives';
export { createPruner, NO_PRUNER, MedianPruner, AshaPruner, HyperbandPruner, type MedianOptions, type AshaOptions, type HyperbandOptions } from './pruners';
export { parameterImportance, type ImportanceOptions, type ParamImportance } from './importance';
