/**
 * `trainyard models login|logout|push|pull|export|import` as a script runs them: a real process on
 * a data directory. Pushing a registered version needs the registry's store; here the commands'
 * own checks are tested (credentials, arguments, references), and the core tests cover transfers.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../../src/cli/commands/publish';
import { trainyardCli } from '../helpers/cli';
import { tempDirPerTest } from '../helpers/tmp';

const BIN = fileURLToPath(new URL('../../bin/trainyard.mjs', import.meta.url));
const temp = tempDirPerTest();

/** The command with `stdin` piped in (the helper's runs get an empty stdin). */
function withStdin(dataDir: string, stdin: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, '--data-dir', dataDir, ...args], { encoding: 'utf8', input: stdin, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('trainyard models login, logout and the transfer commands', () => {
  it('saves credentials from stdin in a 0600 file, never from argv, and removes them', () => {
    const dataDir = temp();
    const refused = withStdin(dataDir, '', 'models', 'login', 'reg.example.com:5000', '--username', 'alice');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('trainyard: Give the password on stdin with --password-stdin (a password on the command line is visible to other users)\n');

    const saved = withStdin(dataDir, 'pa55-word\n', 'models', 'login', 'https://reg.example.com:5000', '--username', 'alice', '--password-stdin', '--json');
    expect(saved.code, saved.stderr).toBe(0);
    const file = join(dataDir, 'credentials.json');
    expect(JSON.parse(saved.stdout)).toEqual({ registry: 'reg.example.com:5000', stored: file });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(file, 'utf8')).registries['reg.example.com:5000']).toEqual({ username: 'alice', password: 'pa55-word' });
    expect(saved.stdout + saved.stderr).not.toContain('pa55-word');

    const { json, run } = trainyardCli(dataDir);
    expect(json('models', 'logout', 'reg.example.com:5000')).toEqual({ removed: true });
    expect(run('models', 'logout', 'reg.example.com:5000').stdout).toBe('No credentials were saved for reg.example.com:5000\n');
  });

  it('refuses a reference with no host in one line', () => {
    const { run } = trainyardCli(temp());
    const r = run('models', 'pull', 'co2:v1', '--name', 'co2');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('trainyard: "co2:v1" is not a registry reference HOST[:PORT]/REPO:TAG: it names no host\n');
  });

  it('shows progress in bytes', () => {
    const base = { transferId: 't', direction: 'push', target: 'h/r:t', error: null } as const;
    expect(progressLine({ ...base, bytesDone: 12 * 1024 * 1024, bytesTotal: 200 * 1024 * 1024, state: 'running' })).toBe('push 12.0 MB / 200.0 MB (6%)');
    expect(progressLine({ ...base, bytesDone: 2048, bytesTotal: 2048, state: 'completed' })).toBe('push 2.0 KB / 2.0 KB (100%) completed');
  });
});
