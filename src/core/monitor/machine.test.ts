import { spawn, type ChildProcess } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { CpuCoresReader, diskOf, ownerOf } from './machine';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

describe('machine readings', () => {
  it('CPU per core and in all: one share per core, 0..100, measured since the last reading', async () => {
    const reader = new CpuCoresReader();
    const end = Date.now() + 200;
    while (Date.now() < end); // keeps this core busy between the readings
    const r = reader.read();
    expect(r.perCore.length).toBe(cpus().length);
    for (const c of [...r.perCore, r.totalPercent]) {
      if (c === null) continue;
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(100);
    }
    expect(r.totalPercent).toBeGreaterThan(0);
  });

  it('the disk holding a folder', async () => {
    const d = await diskOf(tmpdir());
    expect(d.totalBytes).toBeGreaterThan(0);
    expect(d.usedBytes + d.freeBytes).toBeLessThanOrEqual(d.totalBytes);
    await expect(diskOf('/no/such/folder')).rejects.toThrow(/ENOENT/);
  });

  it.skipIf(process.platform !== 'linux')('a process belongs to the owner of the nearest ancestor that has one (Linux: read from /proc)', async () => {
    // A "worker" that starts a program that starts another: the last one is on the GPU.
    const worker = spawn('sh', ['-c', 'sh -c "sleep 30 & echo \\$! ; wait" ; :'], { stdio: ['ignore', 'pipe', 'ignore'] });
    children.push(worker);
    const grandchild = await new Promise<number>((resolve) => worker.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
    expect(grandchild).toBeGreaterThan(0);
    const owners = new Map([[worker.pid!, 'job-1']]);
    expect(await ownerOf(grandchild, owners)).toBe('job-1');
    expect(await ownerOf(worker.pid!, owners)).toBe('job-1');
    expect(await ownerOf(process.pid, owners)).toBeNull();
    expect(await ownerOf(999_999_999, owners)).toBeNull();
    process.kill(grandchild, 'SIGKILL');
  });
});
