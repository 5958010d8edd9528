/**
 * Registry credentials for the desktop app, encrypted with Electron's safeStorage (the system
 * keychain: Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux). The encrypted map is
 * one file in the data directory, mode 0600; the plain password is never written to disk. Where
 * the OS offers no encryption (a Linux session without a keyring), `safeStorageSecrets` returns
 * null and the core falls back to its 0600 credentials file.
 */
import { safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Credential, SecretStore } from '../core/registry';

const FILE = 'credentials.safe';

type Registries = Record<string, Credential>;

export function safeStorageSecrets(dataDir: string): SecretStore | null {
  if (!safeStorage.isEncryptionAvailable()) return null;
  // An OS keyring too weak to protect anything (Linux 'basic_text') is no better than the 0600 file.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return null;
  const path = join(dataDir, FILE);

  const read = (): Registries => {
    if (!existsSync(path)) return {};
    const text = safeStorage.decryptString(readFileSync(path));
    return (JSON.parse(text) as { registries: Registries }).registries;
  };
  const write = (registries: Registries): void => {
    const temp = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, safeStorage.encryptString(JSON.stringify({ registries })));
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temp, path);
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
  };

  return {
    where: `the system keychain (${path}, encrypted)`,
    get: (registry) => read()[registry] ?? null,
    set(registry, credential) {
      write({ ...read(), [registry]: credential });
    },
    remove(registry) {
      const all = read();
      if (!(registry in all)) return false;
      delete all[registry];
      write(all);
      return true;
    },
  };
}
