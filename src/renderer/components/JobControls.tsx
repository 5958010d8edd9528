/**
 * The controls a job offers wherever it is shown (a table row, the detail pane): its priority with
 * the aging boost, a priority select while it waits, cancel and retry. Errors go to the caller,
 * which shows them where the user was acting.
 */
import { useState, type MouseEvent } from 'react';
import { ConfirmDialog } from './ConfirmDialog';
import { PRIORITY_ORDER, type Job, type Priority } from '../../shared/contract';
import { cancelJob, isActive, retryJob, setJobPriority, useRetriedAs } from '../stores/jobs';
import { routeHref } from '../stores/ui';
import { fmtDuration, shortId } from '../lib/format';
import { errorMessage } from '../lib/errors';
import { PriorityTag } from './StatusBadge';
import { boostText, isBoosted } from './JobText';

type Busy = null | 'cancel' | 'retry' | 'priority';

/** A job that has run this long has work worth asking about before it is thrown away. */
export const CONFIRM_CANCEL_AFTER_MS = 60_000;

/** Runs one action at a time and reports a failure in words. */
function useJobAction(onError: (message: string | null) => void) {
  const [busy, setBusy] = useState<Busy>(null);
  async function run<T>(kind: Exclude<Busy, null>, action: () => Promise<T>): Promise<T | undefined> {
    setBusy(kind);
    onError(null);
    try {
      return await action();
    } catch (err) {
      onError(errorMessage(err));
      return undefined;
    } finally {
      setBusy(null);
    }
  }
  return { busy, run };
}

/** Keeps a click on a control inside a row from opening the row. */
const stop = (e: MouseEvent) => e.stopPropagation();

/** The boost badge: shown while aging has raised a waiting job above its own priority. */
export function JobBoostBadge({ job, now }: { job: Job; now: number }) {
  if (!isBoosted(job)) return null;
  return (
    <span
      className="job-boost"
      data-testid="job-boost"
      title={`Runs as ${job.effectivePriority}: waiting jobs are raised one level per aging interval`}
    >
      ↑ {job.effectivePriority} · {boostText(job, now)}
    </span>
  );
}

/** The job's priority: a select while it is queued (the only time it can change), else a tag. */
export function JobPriorityControl({
  job,
  now,
  onError,
}: {
  job: Job;
  now: number;
  onError: (message: string | null) => void;
}) {
  const { busy, run } = useJobAction(onError);
  return (
    <span className="job-priority" data-testid="job-priority" data-priority={job.priority} data-effective={job.effectivePriority}>
      {job.status === 'queued' ? (
        <select
          className={`priority-select priority-${job.priority}`}
          data-testid="job-priority-select"
          aria-label="Priority"
          value={job.priority}
          disabled={busy !== null}
          onClick={stop}
          onKeyDown={(e) => e.stopPropagation()}
          onChange={(e) => void run('priority', () => setJobPriority(job.id, e.target.value as Priority))}
        >
          {PRIORITY_ORDER.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      ) : (
        <PriorityTag priority={job.priority} />
      )}
      <JobBoostBadge job={job} now={now} />
    </span>
  );
}

/** Cancel while queued or running; retry once failed or cancelled, unless it was retried already. */
export function JobActionButtons({
  job,
  onError,
  onRetried,
  small = false,
}: {
  job: Job;
  onError: (message: string | null) => void;
  onRetried?: (next: Job) => void;
  small?: boolean;
}) {
  const { busy, run } = useJobAction(onError);
  const retriedAs = useRetriedAs(job.id);
  const [confirming, setConfirming] = useState(false);
  const size = small ? ' button-small' : '';
  if (isActive(job.status)) {
    const cancel = () => void run('cancel', () => cancelJob(job.id)).finally(() => setConfirming(false));
    const ranFor = job.status === 'running' && job.startedAt !== null ? Date.now() - job.startedAt : 0;
    return (
      <>
        <button
          type="button"
          className={`button button-danger${size}`}
          data-testid="cancel-job"
          disabled={busy !== null}
          onClick={(e) => {
            stop(e);
            if (ranFor > CONFIRM_CANCEL_AFTER_MS) setConfirming(true);
            else cancel();
          }}
        >
          {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
        </button>
        {confirming && (
          <span onClick={stop}>
            <ConfirmDialog
              title={`Cancel job ${shortId(job.id)}?`}
              confirmLabel="Cancel the job"
              cancelLabel="Keep running"
              busy={busy === 'cancel'}
              onConfirm={cancel}
              onCancel={() => setConfirming(false)}
            >
              <p>
                It has run for {fmtDuration(ranFor)}. Its worker is stopped and the work it has done is not resumed; Retry starts it again as
                a new attempt.
              </p>
            </ConfirmDialog>
          </span>
        )}
      </>
    );
  }
  if (retriedAs) {
    return (
      <a href={routeHref('jobs', retriedAs)} className="muted nowrap" data-testid="job-retried-as" data-job-id={retriedAs} onClick={stop}>
        retried as {shortId(retriedAs)}
      </a>
    );
  }
  if (job.status === 'failed' || job.status === 'cancelled') {
    return (
      <button
        type="button"
        className={`button${size}`}
        data-testid="retry-job"
        disabled={busy !== null}
        onClick={(e) => {
          stop(e);
          void run('retry', () => retryJob(job.id)).then((next) => next && onRetried?.(next));
        }}
      >
        {busy === 'retry' ? 'Retrying…' : 'Retry'}
      </button>
    );
  }
  return null;
}
