/**
 * A second process on a data directory that `trainyard serve` owns talks to the server instead of
 * opening the store itself: one scheduler per directory.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const BIN = fileURLToPath(new URL('../../bin/trainyard.mjs', import.meta.url));
const t = tempDir();
let server: ChildProcess;

beforeAll(async () => {
  server = await startServe(t.dir);
});
afterAll(async () => {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  t.cleanup();
});

const trainyard = (...args: string[]) => spawnSync(process.execPath, [BIN, '--data-dir', t.dir, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('CLI beside a running server', () => {
  it('submits through the server, whose scheduler runs the job', () => {
    const sample = fileURLToPath(new URL('../../resources/datasets/us-employment.csv', import.meta.url));
    const imported = trainyard('datasets', 'import', sample, '--name', 'employment', '--json');
    expect(imported.status, imported.stderr).toBe(0);
    const submitted = trainyard('jobs', 'submit', '--dataset', 'employment', '--target', 'nonfarm', '--param', 'epochs=2', '--json');
    expect(submitted.status, submitted.stderr).toBe(0);
    const job = JSON.parse(submitted.stdout) as { id: string };
    // `wait` here only follows: the server's scheduler is the one that runs it.
    const waited = trainyard('jobs', 'wait', job.id, '--json');
    expect(waited.status, waited.stderr).toBe(0);
    expect(JSON.parse(waited.stdout)).toMatchObject({ id: job.id, status: 'completed' });
  });
});
