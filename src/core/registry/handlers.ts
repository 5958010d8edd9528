/** The registry's own methods: models, versions, aliases and the gate. */
import type { ApiHandlers } from '../../shared/contract';
import type { RegistryCoreDeps } from './deps';
import type { RegistryPort } from './ports';
import { candidateFromRun, candidateFromStudy } from './register';
import { Registry } from './service';

export type CoreMethods = Pick<ApiHandlers['models'], 'list' | 'get' | 'resolve' | 'register' | 'update' | 'remove' | 'setAlias' | 'removeAlias' | 'setGate' | 'checkGate'>;

export function coreHandlers(deps: RegistryCoreDeps): { methods: CoreMethods; port: RegistryPort } {
  const registry = new Registry(deps);
  return {
    methods: {
      list: () => registry.list(),
      get: ({ name }) => registry.detail(name),
      resolve: ({ ref }) => registry.resolve(ref),
      register: async (input) => {
        const candidate = input.runId !== undefined ? await candidateFromRun(deps, registry.log, input.runId) : await candidateFromStudy(deps, registry.log, input.studyId!);
        return registry.store(input.name, candidate, { description: input.description, tags: input.tags });
      },
      update: (input) => registry.update(input),
      remove: (input) => registry.remove(input),
      setAlias: (input) => registry.setAlias(input),
      removeAlias: (input) => registry.removeAlias(input),
      setGate: ({ name, gate }) => registry.setGate(name, gate),
      checkGate: ({ ref, alias }) => registry.checkGate(ref, alias),
    },
    port: {
      open: (ref) => registry.open(ref),
      document: (ref) => registry.document(ref),
      importVersion: (name, document, dir, source) => registry.importVersion(name, document, dir, source),
      get: (name) => registry.registered(name),
    },
  };
}
