/**
 * Registry credentials. They live in `<dataDir>/credentials.json` (mode 0600, refused when others
 * can read it) or come from TRAINYARD_REGISTRY_USERNAME / TRAINYARD_REGISTRY_PASSWORD, which win
 * for every host. Never in SQLite, logs or error messages. The desktop shell can supply its own
 * SecretStore (Electron safeStorage) in place of the file.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InvalidInput } from '../../../shared/errors';

export interface Credential {
  username: string;
  password: string;
}

/** Where saved credentials are kept: the file below, or the OS keychain the desktop shell offers. */
export interface SecretStore {
  /** Where the secrets are, in words (a path, or "the system keychain"). */
  readonly where: string;
  get(registry: string): Credential | null;
  set(registry: string, credential: Credential): void;
  remove(registry: string): boolean;
}

export const CREDENTIALS_FILE = 'credentials.json';
export const ENV_USERNAME = 'TRAINYARD_REGISTRY_USERNAME';
export const ENV_PASSWORD = 'TRAINYARD_REGISTRY_PASSWORD';

const FileShape = z.object({ registries: z.record(z.string(), z.object({ username: z.string(), password: z.string() })) });

/** `https://Host:5000/` and `host:5000` name the same registry. */
export function registryKey(registry: string): string {
  const bare = registry.trim().replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase();
  if (!bare) throw new InvalidInput(`${JSON.stringify(registry)} names no registry host`, 'registry');
  return bare;
}

export class CredentialsFile implements SecretStore {
  readonly where: string;

  constructor(dataDir: string) {
    this.where = join(dataDir, CREDENTIALS_FILE);
  }

  private read(): z.infer<typeof FileShape> {
    if (!existsSync(this.where)) return { registries: {} };
    const mode = statSync(this.where).mode & 0o777;
    if (mode & 0o077) {
      throw new InvalidInput(
        `The credentials file ${this.where} can be read by others (mode ${mode.toString(8).padStart(4, '0')}); run \`chmod 600 ${this.where}\` and try again`,
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(this.where, 'utf8'));
    } catch (err) {
      throw new InvalidInput(`The credentials file ${this.where} is not valid JSON (${err instanceof Error ? err.message : String(err)}); remove it and log in again`);
    }
    const parsed = FileShape.safeParse(raw);
    if (!parsed.success) throw new InvalidInput(`The credentials file ${this.where} is not a Trainyard credentials file; remove it and log in again`);
    return parsed.data;
  }

  /** Written to a new file created with mode 0600, then renamed over: never a moment with looser modes. */
  private write(data: z.infer<typeof FileShape>): void {
    const temp = `${this.where}.${randomBytes(6).toString('hex')}.tmp`;
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(data, null, 2)}\n`);
    } finally {
      closeSync(fd);
    }
    try {
      renameSync(temp, this.where);
    } catch (err) {
      rmSync(temp, { force: true });
      throw err;
    }
  }

  get(registry: string): Credential | null {
    return this.read().registries[registryKey(registry)] ?? null;
  }

  set(registry: string, credential: Credential): void {
    const data = this.read();
    data.registries[registryKey(registry)] = credential;
    this.write(data);
  }

  remove(registry: string): boolean {
    const data = this.read();
    const key = registryKey(registry);
    if (!(key in data.registries)) return false;
    delete data.registries[key];
    this.write(data);
    return true;
  }
}

/** The credential for a registry host: the environment's first, then the store's; null for anonymous. */
export function credentialFor(store: SecretStore, registry: string, env: NodeJS.ProcessEnv = process.env): Credential | null {
  const username = env[ENV_USERNAME];
  const password = env[ENV_PASSWORD];
  if (username && password) return { username, password };
  return store.get(registry);
}
