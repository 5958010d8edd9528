/**
 * Crash recovery for command jobs: the core (a real `trainyard run --wait` process) is killed with
 * SIGKILL while its command runs. The command's process group outlives it; the next core kills the
 * group and re-queues the job, which then runs again to the end.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { groupMembers } from '../../../src/core/commands';
import { tempDirPerTest } from '../../helpers/tmp';
import { coresPerTest, isAlive, until } from '../queue/harness';
import { FIXTURES, PYTHON } from './helpers';

const BIN = fileURLToPath(new URL('../../../bin/trainyard.mjs', import.meta.url));
const tmp = tempDirPerTest();
const startCore = coresPerTest();

describe('command job crash recovery', () => {
  it('kills the orphaned process group after the core was killed, and re-queues the job', async () => {
    const dir = tmp();
    const scratch = tmp();
    const cli = spawn(process.execPath, [BIN, '--data-dir', dir, 'run', '--wait', '--json', '--cwd', FIXTURES, '--', PYTHON, 'once.py', scratch], { stdio: ['ignore', 'pipe', 'pipe'] });
    const marker = join(scratch, 'first-pid');
    await until(() => existsSync(marker));
    const pid = Number(readFileSync(marker, 'utf8'));
    process.kill(cli.pid!, 'SIGKILL');
    await until(() => cli.exitCode !== null || cli.signalCode !== null);
    expect(isAlive(pid)).toBe(true); // the orphan: its core is gone, it runs on
    expect(groupMembers(pid)).toEqual([pid]);

    const h = await startCore({ dataDir: dir });
    await until(() => !isAlive(pid));
    const [job] = await h.api.jobs.list({ limit: 10 });
    const done = await h.waitFor(job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const timeline = await h.api.jobs.transitions({ id: job.id });
    expect(timeline.map((t) => `${t.from ?? '-'}>${t.to}`)).toEqual(['->queued', 'queued>running', 'running>queued', 'queued>running', 'running>completed']);
    expect(timeline[2].cause).toMatch(/^interrupted: Trainyard stopped while it ran/);
    const logs = (await h.api.jobs.logs({ id: job.id, afterId: 0, limit: 1000 })).map((l) => l.message);
    expect(logs).toContain('second run');
    const coreLog = readFileSync(join(dir, 'logs', 'core.log'), 'utf8');
    expect(coreLog).toContain('Killed the process group of a command job a previous Trainyard left running');
  });

  it('a clean stop of Trainyard ends the group with SIGTERM and re-queues the job, which runs again at the next start', async () => {
    const dir = tmp();
    const scratch = tmp();
    const first = await startCore({ dataDir: dir });
    const job = await first.api.jobs.create({ spec: { kind: 'command', argv: [PYTHON, 'once.py', scratch], cwd: FIXTURES }, priority: 'normal' });
    const marker = join(scratch, 'first-pid');
    await until(() => existsSync(marker));
    const pid = Number(readFileSync(marker, 'utf8'));
    await first.close();
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(join(dir, 'commands', `${job.id}.json`))).toBe(false); // nothing left for a later start to reap

    const second = await startCore({ dataDir: dir });
    const done = await second.waitFor(job.id);
    expect(done.status, done.error ?? '').toBe('completed');
    const timeline = await second.api.jobs.transitions({ id: job.id });
    expect(timeline[2]).toMatchObject({ from: 'running', to: 'queued' });
    expect(timeline[2].cause).toMatch(/^interrupted: Trainyard was stopped/);
    expect((await second.api.jobs.logs({ id: job.id, afterId: 0, limit: 1000 })).map((l) => l.message)).toContain('second run');
  });
});
