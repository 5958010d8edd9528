/** `trainyard logs` shows the core log, filters by level, prints JSON, and follows new lines. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { coreLog } from '../../src/core/log';
import { trainyardCli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const BIN = fileURLToPath(new URL('../../bin/trainyard.mjs', import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());
const cli = trainyardCli(t.dir);

describe('trainyard logs', () => {
  it('shows the entries at or above a level, as text or JSON', () => {
    const log = coreLog(t.dir, 'queue');
    log('info', 'Job started', { jobId: 'j1' });
    log('error', 'Could not record the run', { jobId: 'j1', error: 'database or disk is full' });
    const all = cli.run('logs');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toMatch(/INFO +queue: Job started jobId="j1"/);
    expect(all.stdout).toMatch(/ERROR queue: Could not record the run jobId="j1" error="database or disk is full"/);
    const errors = cli.json<{ level: string; message: string }[]>('logs', '--level', 'error');
    expect(errors.map((e) => [e.level, e.message])).toEqual([['error', 'Could not record the run']]);
    const bad = cli.run('logs', '--level', 'loud');
    expect(bad.code).toBe(1);
  });

  it('follows lines written after it started', async () => {
    const child = spawn(process.execPath, [BIN, '--data-dir', t.dir, 'logs', '-f', '--json', '--level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const seen = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const check = () => (re.test(out) ? resolve() : undefined);
        child.stdout!.on('data', check);
        check();
        void exited.then(() => reject(new Error(`logs -f exited early:\n${out}`)));
      });
    // The existing error shows first; only then is a new line written, so it can only come from following.
    await seen(/Could not record the run/);
    coreLog(t.dir, 'tracking')('warn', 'Metrics batch failed', { runId: 'r1' });
    coreLog(t.dir, 'tracking')('info', 'Below the level');
    await seen(/Metrics batch failed/);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { message: string; scope: string });
    expect(lines.map((l) => l.message)).toEqual(['Could not record the run', 'Metrics batch failed']);
  });
});
