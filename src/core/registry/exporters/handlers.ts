/** Export to a folder, push to and pull from an OCI registry, and registry credentials. */
import type { ApiHandlers } from '../../../shared/contract';
import { Unavailable } from '../../../shared/errors';
import type { RegistryDeps } from '../deps';
import type { RegistryPort } from '../ports';

export type PublishMethods = Pick<ApiHandlers['models'], 'exportFolder' | 'importFolder' | 'push' | 'pull' | 'cancelTransfer' | 'login' | 'logout'>;

const notBuilt = async (): Promise<never> => {
  throw new Unavailable('Publishing is not built yet');
};

export function publishHandlers(_deps: RegistryDeps, _registry: RegistryPort): PublishMethods {
  return { exportFolder: notBuilt, importFolder: notBuilt, push: notBuilt, pull: notBuilt, cancelTransfer: notBuilt, login: notBuilt, logout: notBuilt };
}
