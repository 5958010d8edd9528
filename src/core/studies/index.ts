/**
 * HPO studies: a study runs its trials as training jobs through the queue, with the samplers and
 * pruners of core/hpo, and keeps its trials in the store so it survives a restart.
 */
export { studiesHandlers } from './handlers';
export { StudyRunner, type StudyRunnerDeps } from './runner';
export { StudyRepository } from './repository';
