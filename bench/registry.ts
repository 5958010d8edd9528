/**
 * Publishing throughput against a real registry (Debian's docker-registry on loopback, storage in
 * a temp folder): push and pull of a model version whose weights file is 200 MB of random bytes,
 * beside curl moving the same 200 MB as one blob (POST, then PUT of the whole body; GET to a file),
 * in the same run, as ratios. Trainyard's push goes in 32 MiB chunks with a HEAD per blob; its pull
 * hashes each layer as it streams and then registers the version (verify and copy, here through
 * the folder-backed registry port of test/helpers). Predict throughput is bench/registry-predict.ts.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBus } from '../src/core/events';
import { registryPredict } from './registry-predict';
import { publishHandlers } from '../src/core/registry/exporters/handlers';
import { RegistryClient } from '../src/core/registry/exporters/oci/client';
import { pullArtifact } from '../src/core/registry/exporters/oci/pull';
import { parseOciRef } from '../src/core/registry/exporters/oci/reference';
import { Transfers } from '../src/core/registry/exporters/transfers';
import { registryMissing, startRegistry } from '../test/helpers/oci-registry';
import { FolderRegistryPort, documentOf, trainLinear } from '../test/helpers/registry-port';

const WEIGHTS_BYTES = 200 * 1024 * 1024;
const REPEAT = 3;
const MB = 1024 * 1024;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function curl(args: string[]): string {
  const r = spawnSync('curl', ['-sS', '-f', ...args], { encoding: 'utf8', maxBuffer: 1024 * 1024 });
  if (r.status !== 0) throw new Error(`curl ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

/** curl's upload of `file` as one blob into `repo`: POST for a session, PUT of the whole body with the digest. */
function curlPush(host: string, repo: string, file: string, digest: string): number {
  const t0 = performance.now();
  const headers = curl(['-X', 'POST', '-D', '-', '-o', '/dev/null', `http://${host}/v2/${repo}/blobs/uploads/`]);
  const location = /^location:\s*(\S+)/im.exec(headers)?.[1];
  if (!location) throw new Error('the registry opened no upload session for curl');
  const url = new URL(location, `http://${host}`);
  url.searchParams.set('digest', digest);
  curl(['-X', 'PUT', '-H', 'Content-Type: application/octet-stream', '--data-binary', `@${file}`, '-o', '/dev/null', url.toString()]);
  return performance.now() - t0;
}

function curlPull(host: string, repo: string, digest: string, out: string): number {
  const t0 = performance.now();
  curl(['-o', out, `http://${host}/v2/${repo}/blobs/${digest}`]);
  const ms = performance.now() - t0;
  rmSync(out, { force: true });
  return ms;
}

export async function registry(): Promise<void> {
  if (registryMissing) {
    process.stdout.write(`skipped: ${registryMissing}\n`);
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'trainyard-bench-registry-'));
  const reg = await startRegistry();
  try {
    const dataDir = join(dir, 'data');
    const { run, modelDir } = await trainLinear(dataDir);
    // The version's weights: 200 MB that no compression or dedupe can shortcut.
    writeFileSync(join(modelDir, 'weights.bin'), randomBytes(WEIGHTS_BYTES));
    const port = new FolderRegistryPort(join(dir, 'port'));
    await port.importVersion('bench', documentOf('bench', run, modelDir), modelDir, { kind: 'run', ref: run.id });
    const { version } = await port.open('bench:1');
    const weights = version.files.find((f) => f.path === 'weights.bin')!;
    const total = version.sizeBytes;
    const publish = publishHandlers({ bus: new EventBus(), dataDir }, port);
    const blob = join(modelDir, 'weights.bin');
    const digest = `sha256:${weights.sha256}`;

    const times = { push: [] as number[], pull: [] as number[], fetch: [] as number[], curlPush: [] as number[], curlPull: [] as number[] };
    const transfers = new Transfers(new EventBus());
    /** The pull's transfer alone: manifest, config, each layer streamed, hashed and written; no registering. */
    const fetchOnly = (reference: string) =>
      transfers.run({ direction: 'pull', target: reference }, async (t) => {
        const into = mkdtempSync(join(dir, 'fetch-'));
        try {
          const t0 = performance.now();
          await pullArtifact(new RegistryClient(parseOciRef(reference), { plainHttp: true, credential: null, signal: t.signal }), into, t);
          return performance.now() - t0;
        } finally {
          rmSync(into, { recursive: true, force: true });
        }
      });
    for (let i = 0; i < REPEAT; i++) {
      // Fresh repositories each round, so no HEAD finds a blob already linked there.
      let t0 = performance.now();
      await publish.push({ ref: 'bench:1', reference: `${reg.host}/bench/trainyard-${i}:v1`, plainHttp: true });
      times.push.push(performance.now() - t0);
      times.curlPush.push(curlPush(reg.host, `bench/curl-${i}`, blob, digest));
      t0 = performance.now();
      await publish.pull({ reference: `${reg.host}/bench/trainyard-${i}:v1`, name: `pulled-${i}`, plainHttp: true });
      times.pull.push(performance.now() - t0);
      port.remove(`pulled-${i}`);
      times.fetch.push(await fetchOnly(`${reg.host}/bench/trainyard-${i}:v1`));
      times.curlPull.push(curlPull(reg.host, `bench/curl-${i}`, digest, join(dir, 'curl-pull.bin')));
    }
    const rate = (bytes: number, ms: number) => bytes / MB / (ms / 1000);
    const push = rate(total, median(times.push));
    const pull = rate(total, median(times.pull));
    const fetched = rate(total, median(times.fetch));
    const cPush = rate(statSync(blob).size, median(times.curlPush));
    const cPull = rate(statSync(blob).size, median(times.curlPull));
    process.stdout.write(
      [
        `model version: ${version.files.length} files, ${(total / MB).toFixed(1)} MB (weights.bin ${(weights.sizeBytes / MB).toFixed(0)} MB random); median of ${REPEAT}; registry on ${reg.host}`,
        '',
        '| transfer | Trainyard MB/s | curl MB/s (one blob) | ratio (Trainyard / curl) |',
        '| --- | --- | --- | --- |',
        `| push | ${push.toFixed(0)} | ${cPush.toFixed(0)} | ${(push / cPush).toFixed(2)} |`,
        `| pull: transfer + sha256 of each layer | ${fetched.toFixed(0)} | ${cPull.toFixed(0)} | ${(fetched / cPull).toFixed(2)} |`,
        `| pull + register (verify again, copy) | ${pull.toFixed(0)} | ${cPull.toFixed(0)} | ${(pull / cPull).toFixed(2)} |`,
        '',
      ].join('\n'),
    );
  } finally {
    await reg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  await registryPredict();
}
