/**
 * The serve token is kept in the data directory, so a tab opened on one start still connects after
 * a restart; `--new-token` replaces it (for when it has leaked).
 */
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/tmp';

const BIN = fileURLToPath(new URL('../../bin/trainyard.mjs', import.meta.url));
const t = tempDir();
afterAll(() => t.cleanup());

/** Starts `trainyard serve`, reads the token from the URL it prints, and stops it with SIGTERM. */
async function serveOnce(...extra: string[]): Promise<string> {
  const child = spawn(process.execPath, [BIN, '--data-dir', t.dir, 'serve', '--port', '0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const token = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /token=([0-9a-f]+)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code}:\n${out}\n${err}`)));
  });
  child.kill('SIGTERM');
  expect(await exited, err).toBe(0);
  return token;
}

describe('trainyard serve token', () => {
  it('is the same across restarts, kept in a 0600 file, and replaced by --new-token', async () => {
    const first = await serveOnce();
    const second = await serveOnce();
    expect(second).toBe(first);
    const file = join(t.dir, 'serve-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const fresh = await serveOnce('--new-token');
    expect(fresh).not.toBe(first);
    expect(await serveOnce()).toBe(fresh);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
