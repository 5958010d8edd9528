/** The registry's own methods: models, versions, aliases and the gate. */
import type { ApiHandlers } from '../../shared/contract';
import { Unavailable } from '../../shared/errors';
import type { RegistryCoreDeps } from './deps';

export type CoreMethods = Pick<ApiHandlers['models'], 'list' | 'get' | 'resolve' | 'register' | 'update' | 'remove' | 'setAlias' | 'removeAlias' | 'setGate' | 'checkGate'>;

const notBuilt = async (): Promise<never> => {
  throw new Unavailable('The model registry is not built yet');
};

export function coreHandlers(_deps: RegistryCoreDeps): { methods: CoreMethods; port: import('./ports').RegistryPort } {
  return {
    methods: { list: notBuilt, get: notBuilt, resolve: notBuilt, register: notBuilt, update: notBuilt, remove: notBuilt, setAlias: notBuilt, removeAlias: notBuilt, setGate: notBuilt, checkGate: notBuilt },
    port: { open: notBuilt, document: notBuilt, importVersion: notBuilt, get: notBuilt },
  };
}
