/**
 * A job's lifecycle as recorded by the core: each transition with its time, from → to, and cause
 * (who cancelled, the exit code or signal of a crash, and the crash's last log lines).
 */
import { useEffect } from 'react';
import type { JobStatus, JobTransition } from '../../shared/contract';
import { useJobs, useTransitions } from '../stores/jobs';
import { fmtTime, shortId } from '../lib/format';
import { StatusBadge } from './StatusBadge';

export function JobTimeline({ jobId, status, connected }: { jobId: string; status: JobStatus; connected: boolean }) {
  const log = useTransitions(jobId);
  // Read again at each status change: not every transition comes as an event (see openTransitions).
  useEffect(() => {
    if (connected) void useJobs.getState().openTransitions(jobId);
  }, [jobId, status, connected]);

  if (log.error) return <p className="muted" data-testid="job-timeline">Could not load the timeline: {log.error}</p>;
  if (log.list.length === 0) {
    return (
      <p className="muted" data-testid="job-timeline" data-count={0}>
        {log.loading ? 'Loading the timeline…' : 'No transitions recorded yet.'}
      </p>
    );
  }
  return (
    <ol className="job-timeline" data-testid="job-timeline" data-count={log.list.length}>
      {log.list.map((t) => (
        <TransitionItem key={t.id} t={t} />
      ))}
    </ol>
  );
}

/** A ULID inside a sentence ("retry of 01J…"): shown in the short form the rest of the UI uses. */
const ULID_IN_TEXT = /\b[0-9A-HJKMNP-TV-Z]{26}\b/g;

function TransitionItem({ t }: { t: JobTransition }) {
  const exit = [t.exitCode !== null ? `exit code ${t.exitCode}` : null, t.signal ? `signal ${t.signal}` : null].filter(Boolean);
  return (
    <li className={`timeline-item timeline-${t.to}`} data-testid="job-transition" data-from={t.from ?? ''} data-to={t.to}>
      <time className="timeline-time nowrap" dateTime={new Date(t.ts).toISOString()}>
        {fmtTime(t.ts)}
      </time>
      <span className="timeline-change">
        {t.from ? <StatusBadge status={t.from} /> : <span className="muted">new</span>}
        <span className="sep">→</span>
        <StatusBadge status={t.to} />
      </span>
      <span className="timeline-cause" data-testid="transition-cause">
        {t.cause.replace(ULID_IN_TEXT, (id) => shortId(id))}
        {exit.length > 0 && <span className="muted"> · {exit.join(' · ')}</span>}
      </span>
      {t.logTail.length > 0 && (
        <details className="timeline-tail">
          <summary>last {t.logTail.length} log lines</summary>
          <pre className="mono" data-testid="transition-log-tail">
            {t.logTail.join('\n')}
          </pre>
        </details>
      )}
    </li>
  );
}
