/**
 * Duration estimates before a job starts, learned from finished jobs of the same kind and size: the
 * median of the last ones (the median, because one job that waited on a busy GPU should not move it).
 */
import { createHash } from 'node:crypto';
import type { JobSpec } from '../../shared/contract';

/** Jobs with the same key take about as long: same kind, family, epochs, and dataset size to within a factor of two. */
export function sizeKey(spec: JobSpec, datasetRows: number): string {
  if (spec.kind === 'noop') return `noop:${bucket(spec.sleepMs)}`;
  // The same program with the same arguments takes about as long; the params are part of the argv or its environment.
  if (spec.kind === 'command') return `command:${createHash('sha256').update(JSON.stringify([spec.argv, spec.params])).digest('hex').slice(0, 16)}`;
  const epochs = typeof spec.params.epochs === 'number' ? spec.params.epochs : 'default';
  return `train:${spec.model}:e${epochs}:r${bucket(datasetRows)}`;
}

const bucket = (n: number) => (n <= 0 ? 0 : Math.round(Math.log2(n)));

/** The median of the sample, or null with fewer than 2 finished jobs to learn from. */
export function estimateFrom(durations: number[]): number | null {
  if (durations.length < 2) return null;
  const s = [...durations].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return Math.round(s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2);
}
