/**
 * Pull: the manifest (refused unless it is a model), the config with the version document, then
 * each layer streamed to a temp folder and hashed on the way; a layer whose bytes do not match its
 * digest stops the pull with both digests named. The caller registers the folder only when every
 * file arrived whole.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InvalidInput } from '../../../../shared/errors';
import { VersionDocument } from '../../bundle';
import { filePath } from '../files';
import type { Transfer } from '../transfers';
import { DOCUMENT_KEY, MODEL_ARTIFACT, MODEL_CONFIG, OCI_MANIFEST, TITLE, digestOf, type Manifest } from './artifact';
import type { RegistryClient } from './client';
import { formatOciRef } from './reference';

const MAX_JSON_BYTES = 16 * 1024 * 1024;

async function jsonBody(res: Response, what: string): Promise<{ bytes: Buffer; value: unknown }> {
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.byteLength > MAX_JSON_BYTES) throw new InvalidInput(`${what} is ${bytes.byteLength} bytes, more than a model's JSON can be`);
  try {
    return { bytes, value: JSON.parse(bytes.toString('utf8')) };
  } catch {
    throw new InvalidInput(`${what} is not JSON`);
  }
}

export async function pullArtifact(client: RegistryClient, dir: string, transfer: Transfer): Promise<VersionDocument> {
  const where = formatOciRef(client.ref);
  const res = await client.request('GET', client.repoPath(`manifests/${client.ref.reference}`), { headers: { Accept: OCI_MANIFEST }, ok: [200] });
  const { bytes, value } = await jsonBody(res, `The manifest of ${where}`);
  if (client.ref.reference.startsWith('sha256:') && digestOf(bytes) !== client.ref.reference) {
    throw new InvalidInput(`The manifest of ${where} has digest ${digestOf(bytes)}, not the one asked for`);
  }
  const manifest = value as Partial<Manifest>;
  const kind = manifest.artifactType ?? manifest.config?.mediaType ?? manifest.mediaType ?? 'unknown';
  if (manifest.artifactType !== MODEL_ARTIFACT && manifest.config?.mediaType !== MODEL_CONFIG) {
    throw new InvalidInput(`${where} is not a model: its artifact type is ${kind}, not ${MODEL_ARTIFACT}`);
  }
  if (!manifest.config || !Array.isArray(manifest.layers)) throw new InvalidInput(`The manifest of ${where} has no config or layers`);

  const cfgRes = await client.request('GET', client.repoPath(`blobs/${manifest.config.digest}`), { ok: [200] });
  const cfg = await jsonBody(cfgRes, `The config of ${where}`);
  if (digestOf(cfg.bytes) !== manifest.config.digest) {
    throw new InvalidInput(`The config of ${where} does not match its digest: the manifest says ${manifest.config.digest}, the bytes received have ${digestOf(cfg.bytes)}`);
  }
  const parsed = VersionDocument.safeParse((cfg.value as Record<string, unknown>)[DOCUMENT_KEY]);
  if (!parsed.success) throw new InvalidInput(`The config of ${where} holds no Trainyard version document (${parsed.error.issues[0]?.message ?? 'invalid'})`);
  const document = parsed.data;

  const byPath = new Map(manifest.layers.map((l) => [l.annotations?.[TITLE] ?? '', l]));
  transfer.total(document.files.reduce((n, f) => n + f.sizeBytes, 0));
  for (const file of document.files) {
    transfer.check();
    const layer = byPath.get(file.path);
    if (!layer) throw new InvalidInput(`${where} has no layer titled ${file.path}, which its version document lists`);
    if (layer.digest !== `sha256:${file.sha256}`) throw new InvalidInput(`${where}: the layer of ${file.path} is ${layer.digest} but the version document says sha256:${file.sha256}`);
    const target = filePath(dir, file);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    const blob = await client.request('GET', client.repoPath(`blobs/${layer.digest}`), { ok: [200] });
    if (!blob.body) throw new InvalidInput(`${where}: the registry sent no bytes for ${file.path}`);
    const hash = createHash('sha256');
    let size = 0;
    const count = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.byteLength;
        // A registry that sends more than the layer's size is cut off, not written to the end.
        if (size > file.sizeBytes) return done(new InvalidInput(`${where}: the registry sent more than the ${file.sizeBytes} bytes of ${file.path}`));
        hash.update(chunk);
        transfer.add(chunk.byteLength);
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(blob.body as import('node:stream/web').ReadableStream<Uint8Array>), count, createWriteStream(target, { flags: 'wx', mode: 0o600 }), { signal: transfer.signal });
    const got = `sha256:${hash.digest('hex')}`;
    if (got !== layer.digest) {
      throw new InvalidInput(`${where}: ${file.path} does not match its digest: the manifest says ${layer.digest}, the ${size} bytes received have ${got}; nothing was registered`);
    }
  }
  return document;
}
