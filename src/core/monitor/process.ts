/**
 * CPU and memory of the machine and of one process. CPU is a rate, so each reader keeps the
 * previous reading and reports the share used since then. The machine side comes from Node's `os`;
 * a process is read from /proc on Linux and from `ps` elsewhere (macOS); where neither works the
 * reading is null and the sampler records nothing for it.
 */
import { execFile, execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, freemem, totalmem } from 'node:os';
import { statFields } from '../proc-stat';

export interface MachineReading {
  /** Share of all cores busy since the previous reading, 0..100. */
  cpuPercent: number | null;
  memoryUsedMb: number;
  memoryTotalMb: number;
}

export interface ProcessReading {
  /** CPU time since the previous reading over wall time: 100 = one core busy. */
  cpuPercent: number | null;
  rssMb: number;
}

const MB = 1024 * 1024;

export class MachineReader {
  private last = cpuTimes();

  read(): MachineReading {
    const now = cpuTimes();
    const busy = now.busy - this.last.busy;
    const total = now.total - this.last.total;
    this.last = now;
    return {
      cpuPercent: total > 0 ? (100 * busy) / total : null,
      memoryUsedMb: (totalmem() - freemem()) / MB,
      memoryTotalMb: totalmem() / MB,
    };
  }
}

function cpuTimes(): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const c of cpus()) {
    const { user, nice, sys, irq, idle } = c.times;
    busy += user + nice + sys + irq;
    total += user + nice + sys + irq + idle;
  }
  return { busy, total };
}

/** Clock ticks per second of /proc's CPU times: 100 on every mainstream Linux, asked once. */
let clockTicks: number | null = null;
function ticksPerSecond(): number {
  if (clockTicks === null) {
    try {
      clockTicks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8', timeout: 2000 }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** One process's CPU time (seconds) and resident memory (bytes), or null once it is gone. */
async function processTimes(pid: number): Promise<{ cpuSeconds: number; rssBytes: number } | null> {
  if (process.platform === 'linux') {
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const fields = statFields(stat);
      // A zombie (ended, not yet reaped) holds no memory and runs nothing: it is gone.
      if (fields[0] === 'Z' || fields[0] === 'X') return null;
      const utime = Number(fields[11]);
      const stime = Number(fields[12]);
      const rssPages = Number(fields[21]);
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const rssKb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
      return { cpuSeconds: (utime + stime) / ticksPerSecond(), rssBytes: rssKb ? Number(rssKb[1]) * 1024 : rssPages * 4096 };
    } catch {
      return null;
    }
  }
  if (process.platform === 'win32') return null;
  // macOS and the BSDs: `ps` reports cumulative CPU time and RSS (KiB).
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'time=,rss=', '-p', String(pid)], { encoding: 'utf8', timeout: 2000 }, (err, out) => {
      const m = err ? null : /^\s*(?:(\d+)-)?(?:(\d+):)?(\d+):(\d+(?:\.\d+)?)\s+(\d+)/.exec(out);
      if (!m) return resolve(null);
      const [, days, hours, minutes, seconds, rss] = m;
      const cpuSeconds = Number(days ?? 0) * 86400 + Number(hours ?? 0) * 3600 + Number(minutes) * 60 + Number(seconds);
      resolve({ cpuSeconds, rssBytes: Number(rss) * 1024 });
    });
  });
}

export class ProcessReader {
  private last: { cpuSeconds: number; at: number } | null = null;

  constructor(readonly pid: number) {}

  /** Null once the process has ended (or cannot be read on this platform). */
  async read(): Promise<ProcessReading | null> {
    const t = await processTimes(this.pid);
    const at = performance.now();
    if (!t) return null;
    const prev = this.last;
    this.last = { cpuSeconds: t.cpuSeconds, at };
    const elapsed = prev ? (at - prev.at) / 1000 : 0;
    return {
      cpuPercent: prev && elapsed > 0 ? Math.max(0, (100 * (t.cpuSeconds - prev.cpuSeconds)) / elapsed) : null,
      rssMb: t.rssBytes / MB,
    };
  }
}
