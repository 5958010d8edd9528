/** Export to a folder, push to and pull from an OCI registry, and registry credentials. */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHandlers } from '../../../shared/contract';
import { describeError } from '../../../shared/errors';
import { confine } from '../../paths';
import type { RegistryDeps } from '../deps';
import type { RegistryPort } from '../ports';
import { CredentialsFile, credentialFor, registryKey, type SecretStore } from './credentials';
import { exportToFolder, importFromFolder } from './folder';
import { coreLog } from '../../log';
import { buildArtifact } from './oci/artifact';
import { RegistryClient } from './oci/client';
import { pullArtifact } from './oci/pull';
import { DEFAULT_CHUNK_BYTES, pushArtifact } from './oci/push';
import { formatOciRef, parseOciRef } from './oci/reference';
import { Transfers } from './transfers';

export type PublishMethods = Pick<ApiHandlers['models'], 'exportFolder' | 'importFolder' | 'push' | 'pull' | 'cancelTransfer' | 'login' | 'logout'>;

export interface PublishOptions {
  /** Bytes per upload chunk (PATCH). */
  chunkBytes?: number;
}

/** Pulls land here first, on the data directory's disk, and are registered only when whole. */
export const INCOMING_DIR = 'incoming';

/** Publishing needs only the event bus (transfer progress), the data directory (credentials, log, incoming pulls) and, optionally, a secret store. */
export function publishHandlers(deps: Pick<RegistryDeps, 'bus' | 'dataDir' | 'secrets'>, registry: RegistryPort, options: PublishOptions = {}): PublishMethods {
  const transfers = new Transfers(deps.bus);
  const log = coreLog(deps.dataDir, 'registry.publish');
  const secrets: SecretStore = deps.secrets ?? new CredentialsFile(deps.dataDir);
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;

  /** Every failure is logged with what was being done (hosts and references only, never credentials). */
  const logged = async <T>(what: string, context: Record<string, unknown>, work: () => Promise<T>): Promise<T> => {
    try {
      const result = await work();
      log('info', `${what} done`, context);
      return result;
    } catch (err) {
      log('error', `${what} failed`, { ...context, error: describeError(err) });
      throw err;
    }
  };

  return {
    exportFolder: ({ ref, dir, transferId }) =>
      logged('export', { ref, dir }, () => transfers.run({ transferId, direction: 'export', target: dir }, (t) => exportToFolder(registry, ref, dir, t))),

    importFolder: ({ dir, name, transferId }) =>
      logged('import', { dir, name }, () => transfers.run({ transferId, direction: 'pull', target: dir }, () => importFromFolder(registry, dir, name))),

    push: ({ ref, reference, plainHttp, transferId }) =>
      logged('push', { ref, reference }, async () => {
        const target = parseOciRef(reference);
        const { document, dir } = await registry.document(ref);
        return transfers.run({ transferId, direction: 'push', target: reference }, async (t) => {
          const client = new RegistryClient(target, { plainHttp, credential: credentialFor(secrets, target.registry), signal: t.signal });
          const out = await pushArtifact({ client, artifact: buildArtifact(document), pathOf: (p) => confine(dir, p), transfer: t, chunkBytes, log });
          return { reference: formatOciRef(target), ...out };
        });
      }),

    pull: ({ reference, name, plainHttp, transferId }) =>
      logged('pull', { reference, name }, async () => {
        const source = parseOciRef(reference);
        return transfers.run({ transferId, direction: 'pull', target: reference }, async (t) => {
          const incoming = join(deps.dataDir, INCOMING_DIR, t.id);
          await mkdir(incoming, { recursive: true, mode: 0o700 });
          try {
            const client = new RegistryClient(source, { plainHttp, credential: credentialFor(secrets, source.registry), signal: t.signal });
            const document = await pullArtifact(client, incoming, t);
            t.check();
            return await registry.importVersion(name, document, incoming, { kind: 'pull', ref: formatOciRef(source) });
          } finally {
            await rm(incoming, { recursive: true, force: true });
          }
        });
      }),

    cancelTransfer: async ({ transferId }) => ({ cancelled: transfers.cancel(transferId) }),

    login: async ({ registry: host, username, password }) => {
      const key = registryKey(host);
      secrets.set(key, { username, password });
      log('info', 'credentials saved', { registry: key, username, where: secrets.where });
      return { registry: key, stored: secrets.where };
    },

    logout: async ({ registry: host }) => {
      const key = registryKey(host);
      const removed = secrets.remove(key);
      log('info', removed ? 'credentials removed' : 'no credentials to remove', { registry: key });
      return { removed };
    },
  };
}
