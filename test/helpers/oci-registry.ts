/**
 * A real OCI registry for tests: Debian's docker-registry (CNCF distribution 2.8) serving a temp
 * folder on a free loopback port, with no auth, htpasswd (Basic) auth, or token (Bearer) auth.
 * Tests skip, saying why, only where the binary is missing (`.ci/run` installs it).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REGISTRY_BIN = '/usr/bin/docker-registry';
export const HTPASSWD_BIN = '/usr/bin/htpasswd';
/** Why registry tests cannot run here, or null when they can. */
export const registryMissing: string | null = !existsSync(REGISTRY_BIN)
  ? `${REGISTRY_BIN} is missing (apt-get install docker-registry); the registry tests are skipped`
  : !existsSync(HTPASSWD_BIN)
    ? `${HTPASSWD_BIN} is missing (apt-get install apache2-utils); the registry tests are skipped`
    : null;

export interface TestRegistry {
  /** `127.0.0.1:PORT`, what a reference starts with. */
  host: string;
  port: number;
  /** The registry's storage root: blobs sit under docker/registry/v2/blobs/sha256/<2>/<hex>/data. */
  storage: string;
  /** The data file of a blob in storage (to tamper with it). */
  blobFile(digest: string): string;
  stop(): Promise<void>;
}

export interface TokenAuth {
  realm: string;
  service: string;
  issuer: string;
  /** PEM certificate whose key signs the tokens. */
  certPem: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitUp(url: string, proc: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`docker-registry exited with ${proc.exitCode}: ${readFileSync(logFile, 'utf8')}`);
    try {
      const res = await fetch(url);
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`docker-registry did not answer ${url} within 20 s: ${readFileSync(logFile, 'utf8')}`);
}

export async function startRegistry(opts: { users?: Record<string, string>; token?: TokenAuth } = {}): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-registry-'));
  const port = await freePort();
  const storage = join(dir, 'data');
  let auth = '';
  if (opts.users) {
    const lines = Object.entries(opts.users).map(([u, p]) => {
      const r = spawnSync(HTPASSWD_BIN, ['-Bbn', u, p], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`htpasswd failed: ${r.stderr}`);
      return r.stdout.trim();
    });
    writeFileSync(join(dir, 'htpasswd'), `${lines.join('\n')}\n`);
    auth = `auth:\n  htpasswd:\n    realm: trainyard-test\n    path: ${join(dir, 'htpasswd')}\n`;
  } else if (opts.token) {
    writeFileSync(join(dir, 'token.pem'), opts.token.certPem);
    auth = `auth:\n  token:\n    realm: ${opts.token.realm}\n    service: ${opts.token.service}\n    issuer: ${opts.token.issuer}\n    rootcertbundle: ${join(dir, 'token.pem')}\n`;
  }
  const config = [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${storage}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    '  secret: test-not-secret',
    auth,
  ].join('\n');
  writeFileSync(join(dir, 'config.yml'), config);
  const logFile = join(dir, 'registry.log');
  const out = openSync(logFile, 'a');
  const proc = spawn(REGISTRY_BIN, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', out, out] });
  try {
    await waitUp(`http://127.0.0.1:${port}/v2/`, proc, logFile);
  } catch (err) {
    proc.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    host: `127.0.0.1:${port}`,
    port,
    storage,
    blobFile: (digest) => {
      const hex = digest.replace(/^sha256:/, '');
      return join(storage, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex, 'data');
    },
    stop: async () => {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
