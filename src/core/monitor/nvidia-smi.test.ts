import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NVIDIA_SMI_STANDIN as STANDIN } from '../../../test/helpers/nvidia-smi';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import { NvidiaSmi, parseAppsCsv, parseGpuCsv } from './nvidia-smi';

// Real output of one H200 (see fixtures/README.md), with the field list it was queried with.
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const H200_FIELDS = 'index,uuid,name,driver_version,temperature.gpu,utilization.gpu,utilization.memory,memory.total,memory.used,memory.free,power.draw,power.limit,clocks.sm,clocks.mem,fan.speed,pstate'.split(',');

const H200 = {
  index: 0,
  uuid: 'GPU-9ebf79ba-450d-61e3-5577-7016886f3add',
  name: 'NVIDIA H200',
  utilPercent: 0,
  memoryUsedMb: 0,
  memoryTotalMb: 143771,
  temperatureC: 34,
  powerW: 98.1,
  powerLimitW: 700,
};

describe('nvidia-smi parser', () => {
  const csv = fixture('h200-query-gpu.csv');

  it('reads the real --query-gpu output with its header and units line', () => {
    expect(parseGpuCsv(csv, H200_FIELDS)).toEqual([H200]);
  });

  it('reads the same output without its header (noheader), and with units on the values', () => {
    const body = csv.split('\n').slice(1).join('\n');
    expect(parseGpuCsv(body, H200_FIELDS)).toEqual(parseGpuCsv(csv, H200_FIELDS));
    // `--format=csv` without nounits: the same row with its units, as nvidia-smi writes them.
    const withUnits = body.replace(', 34, 0, 0, 143771, 0, 143156, 98.10, 700.00, 345, 3201,', ', 34, 0 %, 0 %, 143771 MiB, 0 MiB, 143156 MiB, 98.10 W, 700.00 W, 345 MHz, 3201 MHz,');
    expect(withUnits).not.toBe(body);
    expect(parseGpuCsv(withUnits, H200_FIELDS)).toEqual(parseGpuCsv(csv, H200_FIELDS));
  });

  it('reads two GPUs, one busy, one reporting [N/A] and [Not Supported]', () => {
    const out = '0, GPU-aaaa, NVIDIA H200, 87, 40960, 143771, 61, 412.5, 700.00\n1, GPU-bbbb, NVIDIA H200, [N/A], [Not Supported], 143771, 30, [N/A], 700.00\n';
    const [busy, quiet] = parseGpuCsv(out);
    expect(busy).toMatchObject({ index: 0, utilPercent: 87, memoryUsedMb: 40960, temperatureC: 61, powerW: 412.5 });
    expect(quiet).toMatchObject({ index: 1, uuid: 'GPU-bbbb', utilPercent: null, memoryUsedMb: null, powerW: null, memoryTotalMb: 143771 });
  });

  it('leaves out lines that are not GPUs: a driver message, a short row, a non-numeric index', () => {
    const out = 'NVIDIA-SMI has failed because it couldn\'t communicate with the NVIDIA driver.\n0, GPU-aaaa\nx, GPU-bbbb, n, 1, 2, 3, 4, 5, 6\n';
    expect(parseGpuCsv(out)).toEqual([]);
  });

  it('reads --query-compute-apps: the real idle output is header only', () => {
    const fields = ['pid', 'process_name', 'used_memory', 'gpu_uuid'];
    expect(parseAppsCsv(fixture('h200-query-compute-apps-idle.csv'), fields)).toEqual([]);
    expect(parseAppsCsv('4242, python3, 1532, GPU-aaaa\n', fields)).toEqual([{ pid: 4242, name: 'python3', usedMemoryMb: 1532, gpuUuid: 'GPU-aaaa' }]);
    expect(parseAppsCsv('', fields)).toEqual([]);
  });
});

describe('nvidia-smi reader', () => {
  const tmp = tempDirPerTest();

  /** A program named nvidia-smi running `body` (sh), that counts its runs in a file beside it. */
  function fakeSmi(body: string): { command: string; runs: () => number } {
    const dir = tmp();
    const command = join(dir, 'nvidia-smi');
    const counter = join(dir, 'runs');
    writeFileSync(counter, '');
    writeFileSync(command, `#!/bin/sh\necho x >> '${counter}'\n${body}\n`);
    chmodSync(command, 0o755);
    return { command, runs: () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length };
  }

  it('reads the H200 through the stand-in that replays the real outputs', async () => {
    const r = await new NvidiaSmi({ command: STANDIN }).read();
    expect(r).toMatchObject({ ok: true, gpus: [H200], processes: [] });
  });

  it('shares one call among concurrent callers, and reuses a reading for cacheMs', async () => {
    const smi = fakeSmi(`sleep 0.3; case "$1" in --query-gpu=*) echo '0, GPU-a, NVIDIA H200, 5, 1, 2, 30, 90, 700' ;; esac`);
    const reader = new NvidiaSmi({ command: smi.command, cacheMs: 60_000 });
    const readings = await Promise.all(Array.from({ length: 8 }, () => reader.read()));
    expect(new Set(readings).size).toBe(1);
    expect(readings[0]).toMatchObject({ ok: true, gpus: [{ index: 0, utilPercent: 5 }] });
    expect(await reader.read()).toBe(readings[0]);
    // One reading is one GPU query and one process query, whatever the number of callers.
    expect(smi.runs()).toBe(2);
    expect(reader.spawns).toBe(1);
  });

  it('asks again once the cache has expired', async () => {
    const smi = fakeSmi(`case "$1" in --query-gpu=*) echo '0, GPU-a, NVIDIA H200, 5, 1, 2, 30, 90, 700' ;; esac`);
    const reader = new NvidiaSmi({ command: smi.command, cacheMs: 0 });
    await reader.read();
    await reader.read();
    expect(smi.runs()).toBe(4);
  });

  it('without nvidia-smi, says so in one line and does not ask again at once', async () => {
    const reader = new NvidiaSmi({ command: join(tmp(), 'nvidia-smi') });
    const r = await reader.read();
    expect(r).toMatchObject({ ok: false });
    expect(r.ok ? '' : r.reason).toMatch(/nvidia-smi is not installed \(no NVIDIA driver on this machine\)$/);
    expect(r.ok ? '' : r.reason).not.toContain('\n');
    await reader.read();
    expect(reader.spawns).toBe(1);
    expect(await reader.sample()).toBeNull();
  });

  it('a failing nvidia-smi: its exit code and its message', async () => {
    const smi = fakeSmi(`echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running." >&2; exit 9`);
    const r = await new NvidiaSmi({ command: smi.command }).read();
    expect(r.ok ? '' : r.reason).toBe(`${smi.command} failed (exit 9): NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.`);
  });

  it.skipIf(process.platform !== 'linux')('a hanging nvidia-smi is stopped after the timeout, with the child it started (Linux: read from /proc)', async () => {
    // `sleep` (not exec'd) is a grandchild holding the output pipe: the reading must not wait for it.
    const dir = tmp();
    const pidFile = join(dir, 'sleep.pid');
    const smi = fakeSmi(`sleep 30 & echo $! > '${pidFile}'; wait`);
    const reader = new NvidiaSmi({ command: smi.command, timeoutMs: 500 });
    const r = await reader.read();
    expect(r.ok ? '' : r.reason).toBe(`${smi.command} did not answer within 0.5 s and was stopped`);
    const sleeper = Number(readFileSync(pidFile, 'utf8'));
    await expect.poll(() => alive(sleeper)).toBe(false);
  });

  it('garbage on stdout is reported, not read as GPUs', async () => {
    const smi = fakeSmi(`echo 'Segmentation fault (core dumped) ### ???'`);
    const r = await new NvidiaSmi({ command: smi.command }).read();
    expect(r.ok ? '' : r.reason).toBe(`${smi.command} printed output Trainyard cannot read: "Segmentation fault (core dumped) ### ???"`);
  });

  it('a driver with no GPU says so', async () => {
    const smi = fakeSmi('exit 0');
    const r = await new NvidiaSmi({ command: smi.command }).read();
    expect(r.ok ? '' : r.reason).toBe(`${smi.command} lists no GPU`);
  });

  it('keeps the GPUs when only the process query fails', async () => {
    const smi = fakeSmi(`case "$1" in --query-gpu=*) echo '0, GPU-a, NVIDIA H200, 5, 1, 2, 30, 90, 700' ;; *) exit 3 ;; esac`);
    expect(await new NvidiaSmi({ command: smi.command }).read()).toMatchObject({ ok: true, gpus: [{ index: 0 }], processes: [] });
  });
});

/** Running, as /proc sees it: a zombie (killed, not yet reaped by whoever adopted it) is not. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}
