/** How a job reads in words: what it does, how long it waited or may take, why it is boosted. */
import { commandName } from '../../shared/command-name';
import type { Job } from '../../shared/contract';
import { fmtDuration, shortId } from '../lib/format';

/** A rough length, as a person says it: "~40 s", "~4 min", "~2 h", "~3 d". */
export function fmtApprox(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  const s = Math.max(0, ms) / 1000;
  if (s < 1) return '<1 s';
  if (s < 60) return `~${Math.round(s)} s`;
  const min = s / 60;
  if (min < 60) return `~${Math.round(min)} min`;
  const h = min / 60;
  if (h < 48) return `~${Math.round(h)} h`;
  return `~${Math.round(h / 24)} d`;
}

/** A time waited, whole units down: "12 s", "7 min", "3 h", "2 d". */
export function fmtWaited(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${Math.floor(s)} s`;
  const min = s / 60;
  if (min < 60) return `${Math.floor(min)} min`;
  const h = min / 60;
  if (h < 48) return `${Math.floor(h)} h`;
  return `${Math.floor(h / 24)} d`;
}

/** True when aging has raised a waiting job above its own priority. */
export function isBoosted(job: Job): boolean {
  return job.status === 'queued' && job.effectivePriority !== job.priority;
}

/** "waiting 3 h, boosted": what the boost badge says. */
export function boostText(job: Job, now: number): string {
  return `waiting ${fmtWaited(now - job.createdAt)}, boosted`;
}

/** One line for the table: dataset · target · model for training, the label or sleep for a no-op. */
export function jobSummary(job: Job, datasetName?: string): string {
  const spec = job.spec;
  if (spec.kind === 'train') return `${datasetName ?? shortId(spec.datasetId)} · ${spec.target} · ${spec.model}`;
  if (spec.kind === 'command') return `command · ${commandName(spec)}`;
  return spec.label ? `noop · ${spec.label}` : `noop · sleeps ${fmtDuration(spec.sleepMs)}`;
}

/**
 * Why a queued job is not running yet, when the job itself says so (a retry backoff, dependencies
 * not yet completed: `open`); null when it just waits its turn.
 */
export function waitReason(job: Job, now: number, open: string[]): string | null {
  if (job.status !== 'queued') return null;
  if (job.notBefore !== null && job.notBefore > now) return `retry in ${fmtApprox(job.notBefore - now).replace('~', '')}`;
  if (open.length > 0) return `after ${open.length === 1 ? shortId(open[0]) : `${open.length} jobs`}`;
  return null;
}

/** "max 3 attempts, backoff 5.0s doubling", or "no automatic retry". */
export function retryPolicyText(job: Job): string {
  const { maxAttempts, backoffMs } = job.retryPolicy;
  if (maxAttempts <= 1) return 'no automatic retry';
  return `up to ${maxAttempts} attempts, backoff ${fmtDuration(backoffMs)} doubling`;
}
