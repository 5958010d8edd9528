import type { JobProgress, JobStatus } from '../../shared/contract';
import { fmtDuration, fmtPercent } from '../lib/format';

/**
 * A job's progress: the bar, the step now running, and the ETA when there is one. `stepDetail` is
 * the step's own progress where the caller knows it ("epoch 6/300"): the percentage is over the
 * whole job, and 12 % says little about where training is.
 */
export function ProgressBar({
  progress,
  status,
  testId,
  compact = false,
  stepDetail,
}: {
  progress: JobProgress;
  status: JobStatus;
  testId?: string;
  compact?: boolean;
  stepDetail?: string | null;
}) {
  const fraction = status === 'completed' ? 1 : Math.max(0, Math.min(1, progress.fraction));
  const pct = Math.round(fraction * 100);
  let label: string;
  if (status === 'queued') label = 'waiting for a worker';
  else if (status === 'completed') label = 'done';
  else if (status === 'running') {
    const parts = [progress.step ?? 'starting', ...(stepDetail ? [stepDetail, `${fmtPercent(fraction)} of the job`] : [fmtPercent(fraction)])];
    if (progress.etaMs !== null) parts.push(`ETA ${fmtDuration(progress.etaMs)}`);
    label = parts.join(' · ');
  } else label = `${status}${progress.step ? ` during ${progress.step}` : ''} at ${fmtPercent(fraction)}`;

  return (
    <div
      className={`progress progress-${status}${compact ? ' progress-compact' : ''}`}
      data-testid={testId}
      data-fraction={fraction}
      data-step={progress.step ?? ''}
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      aria-valuetext={label}
    >
      <div className="progress-track">
        <div className="progress-fill" style={{ width: `${pct}%` }} />
      </div>
      <div className="progress-label" title={label}>
        {label}
      </div>
    </div>
  );
}
