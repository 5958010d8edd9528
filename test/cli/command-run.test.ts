/**
 * `trainyard run` and `trainyard python-helper` as a script runs them: real CLI processes on a temp
 * data directory, and the helper imported by the real Python.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Job, Run } from '../../src/shared/contract';
import { trainyardCli } from '../helpers/cli';
import { tempDirPerTest } from '../helpers/tmp';

const tmp = tempDirPerTest();
const PYTHON = '/usr/bin/python3';

describe('trainyard run', () => {
  it('queues the command after --, with its folder, env and params, and --wait runs it here', () => {
    const cli = trainyardCli(tmp());
    const cwd = tmp();
    // --json before --: everything after -- is the command's own.
    const r = cli.run('run', '--json', '--name', 'hello', '--priority', 'high', '--cwd', cwd, '--env', 'GREETING=hi there', '--param', 'n=3', '--', PYTHON, '-c', 'import os, sys; print(os.environ["GREETING"], sys.argv[1], os.getcwd())', '{n}');
    expect(r.code, r.stderr).toBe(0);
    const queued = JSON.parse(r.stdout) as Job;
    expect(queued).toMatchObject({ kind: 'command', status: 'queued', priority: 'high', spec: { name: 'hello', cwd, env: { GREETING: 'hi there' }, params: { n: 3 } } });
    const done = cli.json<Job>('jobs', 'wait', queued.id);
    expect(done.status).toBe('completed');
    const shown = cli.run('jobs', 'show', queued.id);
    expect(shown.stdout).toContain(`hi there 3 ${cwd}`);

    const waited = cli.run('run', '--wait', '--', PYTHON, '-c', 'import sys; print("TRAINYARD_METRIC {\\"step\\": 0, \\"score\\": 0.25}"); sys.exit(3)');
    expect(waited.code).toBe(1);
    expect(waited.stdout).toMatch(/Job \S+ failed: the command exited with code 3/);
    const [run] = cli.json<{ runs: Run[] }>('runs', 'list').runs;
    expect(run).toMatchObject({ model: 'command', status: 'failed', summary: { score: 0.25 } });
  });

  it('fails in one line on a bad --env or a template param that is not set', () => {
    const cli = trainyardCli(tmp());
    const badEnv = cli.run('run', '--env', 'NOEQUALS', '--', 'true');
    expect(badEnv.code).toBe(1);
    expect(badEnv.stderr).toBe('trainyard: --env expects NAME=value, got "NOEQUALS"\n');
    const missing = cli.run('run', '--', 'echo', '{who}');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^trainyard: .*names the param \{who\}, which is not set \(params: none\)\n$/);
  });
});

describe('trainyard python-helper', () => {
  it('prints where the helper is; outside Trainyard it prints metric lines and never prunes', () => {
    const r = trainyardCli(tmp()).run('python-helper', '--path');
    expect(r.code).toBe(0);
    const file = r.stdout.trim();
    expect(existsSync(file)).toBe(true);
    const py = spawnSync(PYTHON, ['-c', 'import trainyard; trainyard.log(step=2, loss=0.5, nan=float("nan")); trainyard.log(acc=1); print(trainyard.should_prune(), trainyard.params())'], {
      encoding: 'utf8',
      env: { PYTHONPATH: file.replace(/\/trainyard\.py$/, ''), PATH: process.env.PATH, PYTHONDONTWRITEBYTECODE: '1' },
    });
    expect(py.stderr).toBe('');
    expect(py.stdout.split('\n')).toEqual(['TRAINYARD_METRIC {"step":2,"loss":0.5,"nan":null}', 'TRAINYARD_METRIC {"acc":1.0}', 'False {}', '']);
  });
});
