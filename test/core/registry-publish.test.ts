/**
 * Publishing, end to end against real things: a `linear` model trained through a real app, a real
 * RegistryPort over a temp folder (test/helpers/registry-port.ts), Debian's docker-registry on a
 * loopback port, real file systems (a read-only /sys, small tmpfs mounts where `mount` works).
 */
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventBus } from '../../src/core/events';
import { loadForecaster } from '../../src/core/models';
import { VERSION_DOCUMENT_FILE } from '../../src/core/registry/bundle';
import { ENV_PASSWORD, ENV_USERNAME } from '../../src/core/registry/exporters/credentials';
import { publishHandlers, type PublishMethods } from '../../src/core/registry/exporters/handlers';
import { CORE_LOG_FILE } from '../../src/core/log';
import { MODEL_ARTIFACT, MODEL_CONFIG, TITLE } from '../../src/core/registry/exporters/oci/artifact';
import type { TransferProgress } from '../../src/shared/contract';
import { startProxy } from '../helpers/faulty-proxy';
import { freePort, registryMissing, startRegistry, type TestRegistry } from '../helpers/oci-registry';
import { FolderRegistryPort, documentOf, trainLinear } from '../helpers/registry-port';
import { tempDir } from '../helpers/tmp';
import { mountTmpfs, type Tmpfs } from '../helpers/tmpfs';
import { opensslMissing, startTokenServer, type TokenServer } from '../helpers/token-server';

const OCI = 'application/vnd.oci.image.manifest.v1+json';
/** A CO2 history (ppm, monthly) long enough for the model's window of 12. */
const HISTORY = [405.1, 406.0, 407.4, 408.2, 409.0, 408.5, 406.7, 404.9, 404.5, 405.8, 407.2, 408.3, 409.6, 410.2];

let dir: string;
let cleanup: () => void;
let port: FolderRegistryPort;
let bus: EventBus;
let publish: PublishMethods;
let dataDir: string;
let original: number;

// Where `mount` is refused (not root, no CAP_SYS_ADMIN) the read-only and full-disk cases say so in their title and skip.
const probe = mountTmpfs('64k');
const mountMissing = typeof probe === 'string' ? probe : (probe.unmount(), null);

function events(): { list: TransferProgress[]; off: () => void } {
  const list: TransferProgress[] = [];
  return { list, off: bus.on('model.transfer', (e) => list.push(e)) };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  ({ dir, cleanup } = tempDir());
  dataDir = join(dir, 'data');
  const { run, modelDir } = await trainLinear(dataDir);
  port = new FolderRegistryPort(join(dir, 'port'));
  await port.importVersion('co2', documentOf('co2', run, modelDir), modelDir, { kind: 'run', ref: run.id });
  bus = new EventBus();
  publish = publishHandlers({ bus, dataDir }, port, { chunkBytes: 4096 });
  const f = await loadForecaster((await port.open('co2:1')).dir);
  original = await f.forecast(HISTORY);
  f.dispose();
}, 120_000);
afterAll(() => cleanup?.());

describe('export to a folder', () => {
  it('writes the self-describing layout atomically and reads it back as a new version with its lineage', async () => {
    const target = join(dir, 'nas');
    const ev = events();
    const out = await publish.exportFolder({ ref: 'co2:1', dir: target, plainHttp: false });
    ev.off();
    expect(out.path).toBe(join(target, 'co2-v1'));
    expect(readdirSync(target)).toEqual(['co2-v1']);
    expect(readdirSync(out.path).sort()).toEqual(['README.md', 'card.json', 'files', 'gate-report.json', VERSION_DOCUMENT_FILE]);
    const doc = JSON.parse(readFileSync(join(out.path, VERSION_DOCUMENT_FILE), 'utf8'));
    expect(doc.files.map((f: { path: string }) => f.path).sort()).toEqual(readdirSync(join(out.path, 'files')).sort());
    expect(readFileSync(join(out.path, 'README.md'), 'utf8')).toMatch(/^# co2 v1/);
    expect(out.bytes).toBe(doc.files.reduce((n: number, f: { sizeBytes: number }) => n + f.sizeBytes, 0));
    expect(ev.list.at(-1)).toMatchObject({ direction: 'export', state: 'completed', bytesDone: out.bytes, bytesTotal: out.bytes });

    const v = await publish.importFolder({ dir: out.path, name: 'co2-shared', plainHttp: false });
    expect(v).toMatchObject({ model: 'co2-shared', version: 1, source: { kind: 'folder', ref: out.path } });
    expect(v.lineage).toEqual((await port.open('co2:1')).version.lineage);

    const again = await rejection(publish.exportFolder({ ref: 'co2:1', dir: target, plainHttp: false }));
    expect(again.message).toMatch(/co2-v1 already exists/);
  });

  it('refuses an export whose file was changed on the share, naming the file, and registers nothing', async () => {
    const out = await publish.exportFolder({ ref: 'co2:1', dir: join(dir, 'nas-tampered'), plainHttp: false });
    const file = join(out.path, 'files', 'ridge.json');
    const bytes = readFileSync(file);
    bytes[10] ^= 1;
    writeFileSync(file, bytes);
    const err = await rejection(publish.importFolder({ dir: out.path, name: 'co2-tampered', plainHttp: false }));
    expect(err.message).toMatch(/ridge\.json has sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}/);
    expect(port.count('co2-tampered')).toBe(0);
  });

  it('stops an export cancelled in flight and leaves no partial folder', async () => {
    const target = join(dir, 'nas-cancelled');
    const off = bus.on('model.transfer', (p) => {
      if (p.transferId === 'export-to-cancel' && p.bytesTotal > 0) void publish.cancelTransfer({ transferId: 'export-to-cancel' });
    });
    try {
      const err = await rejection(publish.exportFolder({ ref: 'co2:1', dir: target, plainHttp: false, transferId: 'export-to-cancel' }));
      expect(err.message).toBe(`The export to ${target} was cancelled`);
      expect(readdirSync(target)).toEqual([]);
    } finally {
      off();
    }
  });

  it('names the folder and the cause when the place is read-only, and leaves nothing', async () => {
    // /sys refuses new entries even to root, whatever the file modes say.
    const err = await rejection(publish.exportFolder({ ref: 'co2:1', dir: '/sys/trainyard-export', plainHttp: false }));
    expect(err.message).toMatch(/Cannot create the export folder \/sys\/trainyard-export: the operation is not permitted there \(EPERM\)/);
    expect(existsSync('/sys/trainyard-export')).toBe(false);
  });

  it.skipIf(mountMissing !== null)(`names EROFS on a read-only mount and ENOSPC on a full disk, removing the partial folder${mountMissing ? ` (skipped: ${mountMissing})` : ''}`, async () => {
    const ro = mountTmpfs('1m', { readOnly: true }) as Tmpfs;
    const full = mountTmpfs('8k') as Tmpfs;
    try {
      const a = await rejection(publish.exportFolder({ ref: 'co2:1', dir: ro.path, plainHttp: false }));
      expect(a.message).toBe(`Cannot write the export to ${ro.path}: the file system is read-only (EROFS)`);
      const b = await rejection(publish.exportFolder({ ref: 'co2:1', dir: full.path, plainHttp: false }));
      expect(b.message).toBe(`Cannot write the export to ${full.path}: no space is left on the device (ENOSPC)`);
      expect(readdirSync(full.path)).toEqual([]);
    } finally {
      ro.unmount();
      full.unmount();
    }
  });
});

describe.skipIf(registryMissing !== null)('push to and pull from a real OCI registry', () => {
  let reg: TestRegistry;
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(async () => reg?.stop());

  it('pushes a ModelPack artifact in chunks, skips what the registry has, and pulls a model that keeps its lineage and predicts the same', async () => {
    const ref = `${reg.host}/team/co2:v1`;
    const ev = events();
    const first = await publish.push({ ref: 'co2:1', reference: ref, plainHttp: true });
    ev.off();
    const files = (await port.open('co2:1')).version.files;
    expect(first).toMatchObject({ reference: ref, uploadedBlobs: files.length + 1, skippedBlobs: 0 });
    expect(first.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(ev.list.at(-1)).toMatchObject({ direction: 'push', state: 'completed' });
    expect(ev.list.at(-1)!.bytesDone).toBe(ev.list.at(-1)!.bytesTotal);

    const res = await fetch(`http://${reg.host}/v2/team/co2/manifests/v1`, { headers: { Accept: OCI } });
    const manifest = (await res.json()) as { artifactType: string; config: { mediaType: string }; layers: { mediaType: string; annotations: Record<string, string> }[] };
    expect(manifest.artifactType).toBe(MODEL_ARTIFACT);
    expect(manifest.config.mediaType).toBe(MODEL_CONFIG);
    expect(manifest.layers.map((l) => l.annotations[TITLE]).sort()).toEqual(files.map((f) => f.path).sort());
    expect(manifest.layers.find((l) => l.annotations[TITLE] === 'ridge.json')!.mediaType).toBe('application/vnd.cncf.model.weight.v1.raw');
    expect(manifest.layers.find((l) => l.annotations[TITLE] === 'card.json')!.mediaType).toBe('application/vnd.cncf.model.doc.v1.raw');

    const second = await publish.push({ ref: 'co2:1', reference: `${reg.host}/team/co2:again`, plainHttp: true });
    expect(second).toMatchObject({ uploadedBlobs: 0, skippedBlobs: files.length + 1, digest: first.digest });

    const pulled = await publish.pull({ reference: ref, name: 'co2-pulled', plainHttp: true });
    expect(pulled).toMatchObject({ model: 'co2-pulled', version: 1, source: { kind: 'pull', ref } });
    expect(pulled.lineage).toEqual((await port.open('co2:1')).version.lineage);
    expect(pulled.files).toEqual(files);
    const f = await loadForecaster((await port.open('co2-pulled')).dir);
    expect(Math.abs((await f.forecast(HISTORY)) - original)).toBeLessThanOrEqual(1e-9);
    f.dispose();
    expect(readdirSync(join(dataDir, 'incoming'))).toEqual([]);

    // What was pulled can be published again: the same files, so the repository already has every
    // layer; only the config differs (it names the pulled model).
    const republished = await publish.push({ ref: 'co2-pulled:1', reference: `${reg.host}/team/co2:pulled`, plainHttp: true });
    expect(republished).toMatchObject({ uploadedBlobs: 1, skippedBlobs: files.length });
    const elsewhere = await publish.push({ ref: 'co2-pulled:1', reference: `${reg.host}/other/co2:v1`, plainHttp: true });
    expect(elsewhere).toMatchObject({ uploadedBlobs: files.length + 1, skippedBlobs: 0 });
  });

  it('resumes a chunk the registry answered 500 to, from the range the upload session reports', async () => {
    const proxy = await startProxy(reg, { failPatch: (n) => n === 2 });
    try {
      const out = await publish.push({ ref: 'co2:1', reference: `${proxy.host}/resume/co2:v1`, plainHttp: true });
      expect(out.uploadedBlobs).toBeGreaterThan(0);
      const patchAt = proxy.seen.findIndex((s, i) => s.startsWith('PATCH') && proxy.seen.slice(0, i).filter((x) => x.startsWith('PATCH')).length === 1);
      expect(proxy.seen[patchAt + 1]).toMatch(/^GET \/v2\/resume\/co2\/blobs\/uploads\//);
      const back = await publish.pull({ reference: `${reg.host}/resume/co2:v1`, name: 'co2-resumed', plainHttp: true });
      expect(back.files).toEqual((await port.open('co2:1')).version.files);
    } finally {
      await proxy.close();
    }
  });

  it('fails clearly when the registry keeps answering 500 mid-upload, and leaves no tag', async () => {
    const proxy = await startProxy(reg, { failPatch: (n) => n >= 2 });
    try {
      const err = await rejection(publish.push({ ref: 'co2:1', reference: `${proxy.host}/broken/co2:v1`, plainHttp: true }));
      expect(err.message).toMatch(new RegExp(`The registry ${proxy.host} answered HTTP 500 to PATCH /v2/broken/co2/blobs/uploads/[^ ]+: UNKNOWN injected failure`));
      const tag = await fetch(`http://${reg.host}/v2/broken/co2/manifests/v1`, { method: 'HEAD', headers: { Accept: OCI } });
      expect(tag.status).toBe(404);
    } finally {
      await proxy.close();
    }
  });

  it('names the host when it cannot be reached', async () => {
    const closed = await freePort();
    const err = await rejection(publish.push({ ref: 'co2:1', reference: `127.0.0.1:${closed}/x/co2:v1`, plainHttp: true }));
    expect(err.message).toBe(`Cannot reach the registry 127.0.0.1:${closed} (ECONNREFUSED)`);
    const tls = await rejection(publish.push({ ref: 'co2:1', reference: `127.0.0.1:${closed}/x/co2:v1`, plainHttp: false }));
    expect(tls.message).toMatch(/if it serves plain HTTP, pass --plain-http/);
  });

  it('refuses a blob tampered with in the registry, naming the file and both digests, and registers nothing', async () => {
    const ref = `${reg.host}/tamper/co2:v1`;
    await publish.push({ ref: 'co2:1', reference: ref, plainHttp: true });
    const ridge = (await port.open('co2:1')).version.files.find((f) => f.path === 'ridge.json')!;
    const blob = reg.blobFile(`sha256:${ridge.sha256}`);
    const bytes = readFileSync(blob);
    bytes[bytes.length - 3] ^= 1;
    writeFileSync(blob, bytes);
    try {
      const err = await rejection(publish.pull({ reference: ref, name: 'co2-tampered-pull', plainHttp: true }));
      expect(err.message).toMatch(new RegExp(`ridge\\.json does not match its digest: the manifest says sha256:${ridge.sha256}, the ${bytes.length} bytes received have sha256:[0-9a-f]{64}; nothing was registered`));
      expect(port.count('co2-tampered-pull')).toBe(0);
      expect(readdirSync(join(dataDir, 'incoming'))).toEqual([]);
    } finally {
      bytes[bytes.length - 3] ^= 1;
      writeFileSync(blob, bytes);
    }
  });

  it('refuses to pull an artifact that is not a model', async () => {
    const config = Buffer.from('{}');
    const digest = `sha256:${(await import('node:crypto')).createHash('sha256').update(config).digest('hex')}`;
    const up = await fetch(`http://${reg.host}/v2/plain/image/blobs/uploads/`, { method: 'POST' });
    const put = await fetch(new URL(`${up.headers.get('location')}&digest=${digest}`, `http://${reg.host}`), { method: 'PUT', body: config });
    expect(put.status).toBe(201);
    const manifest = { schemaVersion: 2, mediaType: OCI, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest, size: config.length }, layers: [] };
    const m = await fetch(`http://${reg.host}/v2/plain/image/manifests/v1`, { method: 'PUT', headers: { 'Content-Type': OCI }, body: JSON.stringify(manifest) });
    expect(m.status).toBe(201);
    const err = await rejection(publish.pull({ reference: `${reg.host}/plain/image:v1`, name: 'not-a-model', plainHttp: true }));
    expect(err.message).toBe(`${reg.host}/plain/image:v1 is not a model: its artifact type is application/vnd.oci.image.config.v1+json, not ${MODEL_ARTIFACT}`);
    expect(port.count('not-a-model')).toBe(0);
  });

  it('cancels a push in flight: the request is aborted and the final event says cancelled', async () => {
    let release: () => void = () => {};
    const held = new Promise<void>((r) => (release = r));
    let arrived: () => void = () => {};
    const first = new Promise<void>((r) => (arrived = r));
    const proxy = await startProxy(reg, { onPatch: async (n) => (n === 1 ? (arrived(), held) : undefined) });
    const ev = events();
    try {
      const pushing = publish.push({ ref: 'co2:1', reference: `${proxy.host}/cancel/co2:v1`, plainHttp: true, transferId: 'push-to-cancel' });
      await first;
      expect(await publish.cancelTransfer({ transferId: 'push-to-cancel' })).toEqual({ cancelled: true });
      const err = await rejection(pushing);
      expect(err.message).toBe(`The push to ${proxy.host}/cancel/co2:v1 was cancelled`);
      expect(ev.list.at(-1)).toMatchObject({ transferId: 'push-to-cancel', state: 'cancelled' });
      expect(await publish.cancelTransfer({ transferId: 'push-to-cancel' })).toEqual({ cancelled: false });
      const tag = await fetch(`http://${reg.host}/v2/cancel/co2/manifests/v1`, { method: 'HEAD', headers: { Accept: OCI } });
      expect(tag.status).toBe(404);
    } finally {
      ev.off();
      release();
      await proxy.close();
    }
  });
});

describe.skipIf(registryMissing !== null)('registry credentials (htpasswd Basic auth on the real registry)', () => {
  let reg: TestRegistry;
  const PASSWORD = 's3cret-Pa55word';
  const WRONG = 'wrong-Pa55word-xyz';
  beforeAll(async () => {
    reg = await startRegistry({ users: { alice: PASSWORD } });
  });
  afterAll(async () => reg?.stop());

  it('asks for a login, refuses a wrong password without showing it, and pushes and pulls once logged in', async () => {
    const ref = `${reg.host}/secure/co2:v1`;
    const anonymous = await rejection(publish.push({ ref: 'co2:1', reference: ref, plainHttp: true }));
    expect(anonymous.message).toMatch(new RegExp(`The registry ${reg.host} needs credentials: run \`trainyard models login ${reg.host}`));

    const saved = await publish.login({ registry: `http://${reg.host}/`, username: 'alice', password: WRONG });
    expect(saved).toEqual({ registry: reg.host, stored: join(dataDir, 'credentials.json') });
    expect(statSync(saved.stored).mode & 0o777).toBe(0o600);
    const wrong = await rejection(publish.push({ ref: 'co2:1', reference: ref, plainHttp: true }));
    expect(wrong.message).toBe(`The registry ${reg.host} refused the credentials of user "alice" (HTTP 401); check the user name and password`);

    await publish.login({ registry: reg.host, username: 'alice', password: PASSWORD });
    const pushed = await publish.push({ ref: 'co2:1', reference: ref, plainHttp: true });
    expect(pushed.uploadedBlobs).toBeGreaterThan(0);
    const pulled = await publish.pull({ reference: ref, name: 'co2-secure', plainHttp: true });
    expect(pulled.version).toBe(1);

    const log = readFileSync(join(dataDir, 'logs', CORE_LOG_FILE), 'utf8');
    expect(log).toMatch(/refused the credentials of user/);
    for (const secret of [PASSWORD, WRONG, Buffer.from(`alice:${WRONG}`).toString('base64')]) {
      expect(log).not.toContain(secret);
      expect(wrong.message).not.toContain(secret);
    }
    expect(await publish.logout({ registry: reg.host })).toEqual({ removed: true });
    expect(await publish.logout({ registry: reg.host })).toEqual({ removed: false });
  });

  it('takes the environment variables first, for any host', async () => {
    const ref = `${reg.host}/env/co2:v1`;
    await publish.login({ registry: reg.host, username: 'alice', password: WRONG });
    process.env[ENV_USERNAME] = 'alice';
    process.env[ENV_PASSWORD] = PASSWORD;
    try {
      expect((await publish.push({ ref: 'co2:1', reference: ref, plainHttp: true })).reference).toBe(ref);
    } finally {
      delete process.env[ENV_USERNAME];
      delete process.env[ENV_PASSWORD];
      await publish.logout({ registry: reg.host });
    }
  });

  it('refuses a credentials file others can read, saying how to fix it', async () => {
    await publish.login({ registry: reg.host, username: 'alice', password: PASSWORD });
    const file = join(dataDir, 'credentials.json');
    chmodSync(file, 0o644);
    try {
      const err = await rejection(publish.push({ ref: 'co2:1', reference: `${reg.host}/mode/co2:v1`, plainHttp: true }));
      expect(err.message).toBe(`The credentials file ${file} can be read by others (mode 0644); run \`chmod 600 ${file}\` and try again`);
    } finally {
      chmodSync(file, 0o600);
      await publish.logout({ registry: reg.host });
    }
  });
});


describe.skipIf(registryMissing !== null || opensslMissing !== null)('the Bearer token flow (the real registry in auth.token mode)', () => {
  let reg: TestRegistry;
  let tokens: TokenServer;
  beforeAll(async () => {
    tokens = await startTokenServer({ bob: 'b0b-Pa55', carol: 'car0l-Pa55' }, ['carol']);
    reg = await startRegistry({ token: tokens.auth });
  });
  afterAll(async () => {
    await reg?.stop();
    await tokens?.close();
  });

  it('gets a token from the realm with the saved credentials for the scope the registry asks, and pushes and pulls', async () => {
    const ref = `${reg.host}/bearer/co2:v1`;
    const anonymous = await rejection(publish.push({ ref: 'co2:1', reference: ref, plainHttp: true }));
    expect(anonymous.message).toMatch(/needs credentials/);
    await publish.login({ registry: reg.host, username: 'bob', password: 'b0b-Pa55' });
    try {
      const out = await publish.push({ ref: 'co2:1', reference: ref, plainHttp: true });
      expect(out.uploadedBlobs).toBeGreaterThan(0);
      const granted = tokens.requests.filter((r) => r.granted);
      // The registry asks for push and pull in either order (a Go map's).
      const pushScope = (s: string) => /^repository:bearer\/co2:/.test(s) && s.split(':')[2].split(',').sort().join(',') === 'pull,push';
      expect(granted.some((r) => r.scope.some(pushScope)), JSON.stringify(tokens.requests)).toBe(true);
      expect(granted.every((r) => r.service === tokens.auth.service && r.user === 'bob')).toBe(true);
      const pulled = await publish.pull({ reference: ref, name: 'co2-bearer', plainHttp: true });
      expect(pulled.files).toEqual((await port.open('co2:1')).version.files);
      await publish.login({ registry: reg.host, username: 'carol', password: 'car0l-Pa55' });
      expect((await publish.pull({ reference: ref, name: 'co2-reader', plainHttp: true })).version).toBe(1);
      const readOnly = await rejection(publish.push({ ref: 'co2:1', reference: `${reg.host}/bearer/co2:v2`, plainHttp: true }));
      expect(readOnly.message).toMatch(new RegExp(`The registry ${reg.host} does not let user "carol" repository:bearer/co2:(push,pull|pull,push) \\(insufficient_scope\\)`));
      await publish.login({ registry: reg.host, username: 'bob', password: 'not-bobs' });
      const wrong = await rejection(publish.pull({ reference: ref, name: 'co2-bearer-2', plainHttp: true }));
      expect(wrong.message).toBe(`The registry ${reg.host} refused the credentials of user "bob" (HTTP 401); check the user name and password`);
    } finally {
      await publish.logout({ registry: reg.host });
    }
  });
});
