import type { Command } from 'commander';
import type { MonitorSnapshot } from '../../shared/contract';
import { duration, table } from '../format';
import { printJson, withSession } from './context';

const GiB = 1024 ** 3;
const pct = (v: number | null) => (v === null ? '-' : `${Math.round(v)}%`);
const gib = (bytes: number) => `${(bytes / GiB).toFixed(1)} GiB`;
const mib = (v: number | null) => (v === null ? '-' : `${Math.round(v)} MiB`);
const or = (v: number | null, unit: string) => (v === null ? '-' : `${v}${unit}`);

/** A snapshot as a person reads it: the machine, then each GPU (or one line saying why there is none), then the workers. */
export function describeSnapshot(s: MonitorSnapshot): string {
  const lines = [
    `CPU ${pct(s.cpu.totalPercent)} of ${s.cpu.perCore.length} cores (per core: ${s.cpu.perCore.map(pct).join(' ')})`,
    `memory ${gib(s.memory.usedBytes)} of ${gib(s.memory.totalBytes)}`,
    s.disk ? `disk ${gib(s.disk.usedBytes)} of ${gib(s.disk.totalBytes)} used, ${gib(s.disk.freeBytes)} free (${s.disk.path})` : 'disk: unknown',
  ];
  if (!s.gpus.available) lines.push(`no GPU: ${s.gpus.reason ?? 'no reading'}`);
  for (const g of s.gpus.devices) {
    lines.push(`GPU ${g.index} ${g.name ?? ''}: ${pct(g.utilPercent)} busy, ${mib(g.memoryUsedMb)} of ${mib(g.memoryTotalMb)}, ${or(g.temperatureC, ' °C')}, ${or(g.powerW, ' W')} of ${or(g.powerLimitW, ' W')}`);
    for (const p of g.processes) lines.push(`  pid ${p.pid} ${p.name ?? ''} ${mib(p.usedMemoryMb)}${p.jobId ? `  job ${p.jobId}` : ''}`);
  }
  if (s.workers.length === 0) lines.push('workers: none running');
  else {
    const rows = s.workers.map((w) => [w.pid, w.jobId ?? '(idle)', duration(w.uptimeMs), w.heartbeatAgeMs === null ? '-' : duration(w.heartbeatAgeMs), mib(w.rssMb), pct(w.cpuPercent)]);
    lines.push('', table(['pid', 'job', 'uptime', 'heartbeat', 'RSS', 'CPU'], rows));
  }
  return lines.join('\n');
}

export function registerMonitorCommand(program: Command): void {
  program
    .command('monitor')
    .description('what the machine, its GPUs and the workers use now')
    .option('--json', 'machine-readable output')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      await withSession(cmd, { scheduler: false }, async (s) => {
        const snap = await s.api.monitor.snapshot({});
        if (opts.json) printJson(snap);
        else process.stdout.write(`${describeSnapshot(snap)}\n`);
      });
    });
}
