/**
 * The full disk as it was reported: `trainyard serve` on a data directory whose disk fills during a
 * job. The server stays up, the job ends failed saying the disk is full, `jobs submit` answers the
 * same clear words, and once space is freed a new job completes.
 */
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../src/shared/contract';
import { trainyardCli, startServe } from '../helpers/cli';
import { fillDisk, mountTmpfs } from '../helpers/tmpfs';

const mount = mountTmpfs('24m');
const skip = typeof mount === 'string' ? mount : null;

describe.skipIf(skip !== null)(`trainyard serve on a disk that fills ${skip ?? ''}`, () => {
  const dataDir = typeof mount === 'string' ? '' : join(mount.path, 'data');
  const filler = typeof mount === 'string' ? '' : join(mount.path, 'filler');
  const cli = trainyardCli(dataDir);
  let server: ChildProcess;
  let exited: number | null | undefined;

  beforeAll(async () => {
    server = await startServe(dataDir);
    server.on('exit', (code) => (exited = code));
  }, 120_000);
  afterAll(async () => {
    if (exited === undefined) {
      server.kill('SIGTERM');
      await new Promise((r) => server.once('exit', r));
    }
    if (typeof mount !== 'string') mount.unmount();
  });

  const show = (id: string) => cli.json<Job>('jobs', 'show', id);
  async function until(id: string, done: (j: Job) => boolean): Promise<Job> {
    for (;;) {
      const j = show(id);
      if (done(j)) return j;
      await new Promise((r) => setTimeout(r, 300));
    }
  }

  it('stays up, fails the job saying the disk is full, refuses submits clearly, and runs jobs again once space is freed', async () => {
    const sample = fileURLToPath(new URL('../../resources/datasets/co2-concentration.csv', import.meta.url));
    cli.json('datasets', 'import', sample, '--name', 'co2');
    const job = cli.json<Job>('jobs', 'submit', '--dataset', 'co2', '--target', 'CO2', '--model', 'mlp', '--param', 'epochs=10000', '--param', 'patience=10000');
    await until(job.id, (j) => j.status === 'running' && j.progress.step === 'train');
    fillDisk(filler);

    const failed = await until(job.id, (j) => ['completed', 'failed', 'cancelled'].includes(j.status));
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/The disk holding .* is full/);

    const refused = cli.run('jobs', 'submit', '--noop', '10');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^trainyard: The disk holding .* is full/);
    expect(refused.stderr).not.toMatch(/rollback/);
    expect(exited).toBeUndefined();

    rmSync(filler);
    const again = cli.json<Job>('jobs', 'submit', '--dataset', 'co2', '--target', 'CO2', '--model', 'linear');
    const waited = cli.json<Job>('jobs', 'wait', again.id);
    expect(waited.status, waited.error ?? '').toBe('completed');
    expect(exited).toBeUndefined();
  }, 240_000);
});
