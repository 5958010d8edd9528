/**
 * The model registry: registered models and immutable versions, aliases with history, the
 * validation gate, predict, and publishing to a folder or an OCI registry.
 */
import type { ApiHandlers } from '../../shared/contract';
import type { RegistryDeps } from './deps';
import { publishHandlers } from './exporters/handlers';
import { coreHandlers } from './handlers';
import { createScorer, predictHandlers } from './predict/handlers';

export type { RegistryDeps } from './deps';
export type { Credential, SecretStore } from './exporters/credentials';
export type { ModelOnDisk, RegistryPort, ModelScorer, DataFile } from './ports';
export { VersionDocument, VERSION_DOCUMENT_FILE, VERSION_FILES_DIR } from './bundle';
/** Predict and evaluate inside a worker process (they load TensorFlow.js). */
export { runPredictTask, runEvaluateTask } from './predict/run';

export function registryHandlers(deps: RegistryDeps): ApiHandlers['models'] {
  const scorer = createScorer(deps);
  const core = coreHandlers({ ...deps, scorer });
  return { ...core.methods, ...predictHandlers(deps, core.port, scorer), ...publishHandlers(deps, core.port) };
}
