/**
 * `trainyard monitor` as a script runs it, on a machine without a GPU (one line says so) and with
 * the stand-in nvidia-smi first on PATH (the H200 it replays); and `trainyard serve --metrics`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { MonitorSnapshot } from '../../src/shared/contract';
import { startServe, trainyardCli } from '../helpers/cli';
import { pathWithStandin, pathWithoutNvidiaSmi } from '../helpers/nvidia-smi';
import { parsePrometheusText } from '../helpers/prometheus';
import { tempDirPerTest } from '../helpers/tmp';

const tmp = tempDirPerTest();

describe('trainyard monitor', () => {
  it('without a GPU: one line says why, and the rest of the machine is shown', () => {
    const r = trainyardCli(tmp(), 120_000, { PATH: pathWithoutNvidiaSmi() }).run('monitor');
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => /GPU/.test(l))).toEqual(['no GPU: nvidia-smi is not installed (no NVIDIA driver on this machine)']);
    expect(lines[0]).toMatch(/^CPU \d+% of \d+ cores/);
    expect(r.stdout).toMatch(/^memory .* GiB of .* GiB$/m);
    expect(r.stdout).toMatch(/^disk .* used, .* free/m);
    expect(r.stdout).toContain('workers: none running');
  });

  it('with the stand-in H200, as text and as JSON', () => {
    const cli = trainyardCli(tmp(), 120_000, { PATH: pathWithStandin() });
    const r = cli.run('monitor');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('GPU 0 NVIDIA H200: 0% busy, 0 MiB of 143771 MiB, 34 °C, 98.1 W of 700 W');
    const snap = cli.json<MonitorSnapshot>('monitor');
    expect(snap.gpus.available).toBe(true);
    expect(snap.gpus.devices[0]).toMatchObject({ name: 'NVIDIA H200', uuid: 'GPU-9ebf79ba-450d-61e3-5577-7016886f3add', powerLimitW: 700 });
    // A second CPU reading was taken: the share is measured, not unknown.
    expect(snap.cpu.totalPercent).not.toBeNull();
  });
});

describe('trainyard serve --metrics', () => {
  const servers: import('node:child_process').ChildProcess[] = [];
  afterEach(async () => {
    for (const s of servers.splice(0)) {
      s.kill('SIGTERM');
      await new Promise((r) => s.once('exit', r));
    }
  });

  it('serves /metrics without a token on its loopback port', async () => {
    const server = await startServe(tmp(), ['--metrics', '127.0.0.1:0']);
    servers.push(server);
    let err = '';
    server.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    await expect.poll(() => /Prometheus metrics \(no token, this machine only\): (\S+)/.exec(err)?.[1]).toBeTruthy();
    const url = /Prometheus metrics \(no token, this machine only\): (\S+)/.exec(err)![1];
    const families = parsePrometheusText(await (await fetch(url)).text());
    expect(families.get('trainyard_queue_paused')!.samples[0].value).toBe(0);
  });

  it('refuses a metrics address beyond loopback, in one line', () => {
    const r = trainyardCli(tmp()).run('serve', '--port', '0', '--metrics', '0.0.0.0:9464');
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'trainyard: --metrics serves without the token, so it listens on loopback only (127.0.0.1, ::1 or localhost), not 0.0.0.0; scrape /metrics on the main port with the token instead',
    ]);
  });
});
