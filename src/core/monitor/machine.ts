/**
 * The machine-wide readings the live monitor adds to the run sampler's: CPU per core (a rate, so the
 * reader keeps the previous reading), the disk holding a folder, and which process started which
 * (a GPU process is a job's when the job's worker started it).
 */
import { readFile, statfs } from 'node:fs/promises';
import { cpus } from 'node:os';
import { statField, statFields } from '../proc-stat';

interface CoreTimes {
  busy: number;
  total: number;
}

export class CpuCoresReader {
  private last: CoreTimes[] = coreTimes();

  /** Each core's busy share since the previous reading (0..100), and all cores together. */
  read(): { totalPercent: number | null; perCore: (number | null)[] } {
    const now = coreTimes();
    const perCore = now.map((c, i) => {
      const prev = this.last[i];
      const total = prev ? c.total - prev.total : 0;
      return prev && total > 0 ? round((100 * (c.busy - prev.busy)) / total) : null;
    });
    const busy = sum(now.map((c) => c.busy)) - sum(this.last.map((c) => c.busy));
    const total = sum(now.map((c) => c.total)) - sum(this.last.map((c) => c.total));
    this.last = now;
    return { totalPercent: total > 0 ? round((100 * busy) / total) : null, perCore };
  }
}

function coreTimes(): CoreTimes[] {
  return cpus().map(({ times: { user, nice, sys, irq, idle } }) => ({ busy: user + nice + sys + irq, total: user + nice + sys + irq + idle }));
}

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const round = (x: number) => Math.round(x * 10) / 10;

/** The file system holding `path`: used, free (to unprivileged users) and total bytes. */
export async function diskOf(path: string): Promise<{ path: string; usedBytes: number; freeBytes: number; totalBytes: number }> {
  const s = await statfs(path);
  const totalBytes = s.blocks * s.bsize;
  return { path, usedBytes: (s.blocks - s.bfree) * s.bsize, freeBytes: s.bavail * s.bsize, totalBytes };
}

/** A process's parent, from /proc (Linux); null where unknown. */
async function parentOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(statFields(stat)[statField(4)]);
    return Number.isInteger(ppid) && ppid > 0 ? ppid : null;
  } catch {
    return null;
  }
}

/** Far enough up for a worker's shell that runs a script that runs python. */
const MAX_ANCESTRY = 6;

/** The owner in `owners` of `pid` or of the nearest of its ancestors that has one. */
export async function ownerOf<T>(pid: number, owners: Map<number, T>): Promise<T | null> {
  let p: number | null = pid;
  for (let depth = 0; p !== null && depth <= MAX_ANCESTRY; depth++) {
    const owner = owners.get(p);
    if (owner !== undefined) return owner;
    if (p === 1) return null;
    p = await parentOf(p);
  }
  return null;
}
