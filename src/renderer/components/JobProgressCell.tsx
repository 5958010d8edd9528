/**
 * A job's progress where it is listed: the live bar with step and ETA once it runs, and before it
 * starts the duration the core expects (learned from finished jobs of its kind and size) with the
 * reason it waits, when it waits for something other than its turn.
 */
import type { Job } from '../../shared/contract';
import { useJobs } from '../stores/jobs';
import { ProgressBar } from './ProgressBar';
import { fmtApprox, waitReason } from './JobText';

export function JobProgressCell({
  job,
  now,
  compact = true,
  stepDetail,
}: {
  job: Job;
  now: number;
  compact?: boolean;
  /** The running step's own progress, where known ("epoch 6/300"). */
  stepDetail?: string | null;
}) {
  // A string, not an array, so the row renders again only when the set of open dependencies changes.
  const open = useJobs((s) => job.after.filter((id) => s.byId[id]?.status !== 'completed').join(' '));
  if (job.status !== 'queued') {
    return <ProgressBar progress={job.progress} status={job.status} testId="progress-bar" compact={compact} stepDetail={stepDetail} />;
  }
  const reason = waitReason(job, now, open ? open.split(' ') : []);
  const estimate = job.estimateMs === null ? 'no estimate yet' : fmtApprox(job.estimateMs);
  return (
    <div className="job-waiting" data-testid="progress-bar" data-fraction={0} data-step="">
      <span className="job-estimate" data-testid="job-estimate" title="Expected run time, from finished jobs of the same kind and size">
        {estimate}
      </span>
      <span className="muted">{reason ?? 'waiting for a worker'}</span>
    </div>
  );
}
