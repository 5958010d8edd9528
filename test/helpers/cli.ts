/**
 * The `trainyard` command as a script runs it: a real process on a data directory, stdin a pipe
 * (not a terminal, so nothing waits for an answer), its exit code and both streams kept.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/trainyard.mjs', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `env` adds to the inherited environment (credentials a script would export, for example). */
export function trainyardCli(dataDir: string, timeoutMs = 180_000, env: Record<string, string> = {}) {
  const run = (...args: string[]): CliResult => {
    const r = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], {
      encoding: 'utf8',
      timeout: timeoutMs,
      input: '',
      env: { ...process.env, ...env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  /** The command's --json output, after checking it exited 0 (its stderr is the failure message). */
  const json = <T>(...args: string[]): T => {
    const r = run(...args, '--json');
    expect(r.code, r.stderr).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  return { run, json };
}

/**
 * `trainyard serve` on a data directory as a real process, resolved once it prints its URL (with
 * the token): the owner other CLI processes then talk to. Stop it with SIGTERM.
 */
export async function startServe(dataDir: string, args: string[] = []): Promise<ChildProcess> {
  const server = spawn(process.execPath, [BIN, '--data-dir', dataDir, 'serve', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (/token=/.test(out)) resolve();
    });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  return server;
}
