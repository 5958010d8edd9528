/** Terminal output: aligned tables, durations, numbers, and a one-line progress bar on stderr. */
import type { Job } from '../shared/contract';

export function table(headers: string[], rows: (string | number | null)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? '-' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n');
}

export function num(v: number | undefined | null): string {
  if (v === undefined || v === null || Number.isNaN(v)) return '-';
  if (v !== 0 && (Math.abs(v) >= 1e6 || Math.abs(v) < 1e-3)) return v.toExponential(3);
  return Number(v.toPrecision(4)).toString();
}

export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function time(ms: number | null): string {
  return ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/** Draws `[#####-----]  42%  train  ETA 12s` in place when stderr is a terminal, else prints step changes. */
export class ProgressBar {
  private lastStep: string | null = null;
  private readonly tty = Boolean(process.stderr.isTTY);

  update(job: Job): void {
    const { fraction, step, etaMs } = job.progress;
    if (this.tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
      const eta = etaMs !== null && job.status === 'running' ? `  ETA ${duration(etaMs)}` : '';
      process.stderr.write(`\r[${bar}] ${String(Math.round(fraction * 100)).padStart(3)}%  ${job.status} ${step ?? ''}${eta}\x1b[K`);
    } else if (step !== this.lastStep) {
      process.stderr.write(`${job.status}: ${step ?? ''} ${Math.round(fraction * 100)}%\n`);
    }
    this.lastStep = step;
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
