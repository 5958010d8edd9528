/**
 * Which files a path import reads. `trainyard serve` answers anyone holding its token, so over its
 * API a path is read only under the folders `--allow-path-imports` names (none by default); a CLI
 * beside the server reads the user's own file and sends its content; a core in the user's own
 * process reads any file the user can.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/core/app';
import { readLock } from '../../src/core/lock';
import { dataPaths } from '../../src/core/paths';
import { connectToServer } from '../../src/server/client';
import type { Client } from '../../src/shared/rpc';
import { trainyardCli, startServe } from '../helpers/cli';
import { tempDir, tempDirPerTest } from '../helpers/tmp';

const SAMPLE = fileURLToPath(new URL('../../resources/datasets/us-employment.csv', import.meta.url));
const tmp = tempDirPerTest();

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => 'imported',
    (err: unknown) => (err as Error).message,
  );

describe('path imports in a core with allowed folders', () => {
  it('reads files under an allowed folder and refuses others, links out of it included', async () => {
    const allowed = tmp();
    const outside = tmp();
    const inside = join(allowed, 'employment.csv');
    copyFileSync(SAMPLE, inside);
    copyFileSync(SAMPLE, join(outside, 'secret.csv'));
    symlinkSync(join(outside, 'secret.csv'), join(allowed, 'link.csv'));
    const dataDir = tmp();
    const core = await createApp({ dataDir, scheduler: false, pathImports: { roots: [allowed] } });
    await expect(core.api.datasets.import({ source: { kind: 'path', path: inside } })).resolves.toMatchObject({ rows: expect.any(Number) });
    for (const path of [join(outside, 'secret.csv'), join(allowed, 'link.csv'), join(allowed, '..', outside.split('/').pop()!, 'secret.csv'), '/etc/shadow']) {
      expect(await refusal(core.api.datasets.import({ source: { kind: 'path', path }, name: 'x' }))).toMatch(/does not read .*: it is not under/);
    }
    expect(readdirSync(dataPaths(dataDir).datasets)).toHaveLength(1);
    await core.close();
  });

  it('in the user’s own process (no server), reads any file the user can', async () => {
    const core = await createApp({ dataDir: tmp(), scheduler: false });
    await expect(core.api.datasets.import({ source: { kind: 'path', path: SAMPLE } })).resolves.toMatchObject({ name: 'us-employment' });
    await core.close();
  });
});

describe('path imports beside `trainyard serve`', () => {
  const t = tempDir();
  const mine = tempDir();
  let server: ChildProcess;
  let client: Client;

  beforeAll(async () => {
    server = await startServe(t.dir);
    const owner = readLock(t.dir)!;
    client = await connectToServer(owner.url!, owner.token!);
  }, 120_000);
  afterAll(async () => {
    client?.close();
    server.kill('SIGTERM');
    await new Promise((r) => server.once('exit', r));
    t.cleanup();
    mine.cleanup();
  });

  it('refuses a path sent over its API, root-only files included, with a clear message', async () => {
    for (const path of [SAMPLE, '/etc/shadow']) {
      expect(await refusal(client.api.datasets.import({ source: { kind: 'path', path }, name: 'x' }))).toMatch(
        /does not read .*: reading files by path is off for this server.*--allow-path-imports/,
      );
    }
    expect(readdirSync(dataPaths(t.dir).datasets)).toHaveLength(0);
  });

  it('imports the CLI user’s own file: the CLI reads it and sends its content', () => {
    mkdirSync(join(mine.dir, 'data'));
    const file = join(mine.dir, 'data', 'employment.csv');
    copyFileSync(SAMPLE, file);
    const d = trainyardCli(t.dir).json<{ name: string; rows: number }>('datasets', 'import', file);
    expect(d.name).toBe('employment');
    expect(readdirSync(dataPaths(t.dir).datasets)).toHaveLength(1);
  });
});
