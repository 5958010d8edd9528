/** One job: status, timing, progress, cancel/retry, live loss chart, test metrics, artifacts and log. */
import { useEffect, useState, type ReactNode } from 'react';
import type { Job } from '../../shared/contract';
import { api } from '../api/client';
import { ArtifactsList } from '../components/ArtifactsList';
import { ErrorBanner } from '../components/ErrorBanner';
import { LogPanel } from '../components/LogPanel';
import { LossChart } from '../components/LossChart';
import { MetricsTable } from '../components/MetricsTable';
import { ParamsFact } from '../components/ParamsFact';
import { ProgressBar } from '../components/ProgressBar';
import { PriorityTag, StatusBadge } from '../components/StatusBadge';
import { useDatasets } from '../stores/datasets';
import { isActive, useJobs } from '../stores/jobs';
import { useLogs } from '../stores/logs';
import { useMetrics, useRunMetrics } from '../stores/metrics';
import { useRuns } from '../stores/runs';
import { routeHref, selectJob } from '../stores/ui';
import { useConnection } from '../stores/connection';
import { errorMessage } from '../lib/errors';
import { fmtDuration, fmtTime, shortId } from '../lib/format';
import { useNow } from '../lib/hooks';

export function JobDetail({ jobId }: { jobId: string }) {
  const job = useJobs((s) => s.byId[jobId]);
  const jobsLoaded = useJobs((s) => s.loaded);
  const connected = useConnection((s) => s.status === 'connected');
  const [lookupError, setLookupError] = useState<string | null>(null);

  // A deep link to a job the list does not hold: ask for it directly.
  const known = job !== undefined;
  useEffect(() => {
    setLookupError(null);
    if (known || !jobsLoaded || !connected) return;
    useJobs
      .getState()
      .fetchOne(jobId)
      .catch((err) => setLookupError(errorMessage(err)));
  }, [jobId, known, jobsLoaded, connected]);

  useEffect(() => {
    if (connected) void useLogs.getState().open(jobId);
  }, [jobId, connected]);

  if (!job) {
    return (
      <section className="detail" data-testid="job-detail">
        <DetailHead title={`Job ${shortId(jobId)}`} />
        {lookupError ? <ErrorBanner message={lookupError} /> : <p className="muted">Loading job…</p>}
      </section>
    );
  }
  return <JobDetailBody job={job} />;
}

function DetailHead({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="detail-head">
      <h2>{title}</h2>
      {children}
      <span className="spacer" />
      <button type="button" className="link-button" data-testid="close-detail" onClick={() => selectJob(null)} aria-label="Close">
        ×
      </button>
    </div>
  );
}

function JobDetailBody({ job }: { job: Job }) {
  const dataset = useDatasets((s) => s.list.find((d) => d.id === job.spec.datasetId));
  const run = useRuns((s) => (job.runId ? s.byId[job.runId] : undefined));
  const runError = useRuns((s) => (job.runId ? s.errors[job.runId] : undefined));
  const metrics = useRunMetrics(job.runId);
  const connected = useConnection((s) => s.status === 'connected');
  const [busy, setBusy] = useState<null | 'cancel' | 'retry'>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const running = job.status === 'running';
  const now = useNow(1000, running);

  useEffect(() => setActionError(null), [job.id]);

  // The run's stored series, then live points from events.
  useEffect(() => {
    if (job.runId && connected) void useMetrics.getState().load(job.runId);
  }, [job.runId, connected]);

  // Summary and artifacts, once the job has finished.
  useEffect(() => {
    if (job.runId && connected && !isActive(job.status)) void useRuns.getState().loadRun(job.runId);
  }, [job.runId, job.status, connected]);

  async function cancel(): Promise<void> {
    setBusy('cancel');
    setActionError(null);
    try {
      useJobs.getState().upsert(await api().jobs.cancel({ id: job.id }));
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  async function retry(): Promise<void> {
    setBusy('retry');
    setActionError(null);
    try {
      const next = await api().jobs.retry({ id: job.id });
      useJobs.getState().upsert(next);
      selectJob(next.id);
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(null);
    }
  }

  const elapsed = job.startedAt ? (job.finishedAt ?? now) - job.startedAt : null;

  return (
    <section className="detail" data-testid="job-detail" data-job-id={job.id} data-status={job.status}>
      <DetailHead title={`Job ${shortId(job.id)}`}>
        <StatusBadge status={job.status} testId="job-status" />
        <PriorityTag priority={job.priority} />
      </DetailHead>

      <div className="detail-sub">
        <span title={job.spec.datasetId}>{dataset?.name ?? job.spec.datasetId}</span>
        <span className="sep">›</span>
        <span className="mono">{job.spec.target}</span>
        <span className="sep">›</span>
        <span>{job.spec.model}</span>
        <span className="muted"> · experiment {job.spec.experiment}</span>
      </div>

      <div className="detail-progress">
        <ProgressBar progress={job.progress} status={job.status} testId="progress-bar" />
        <div className="actions">
          {isActive(job.status) && (
            <button type="button" className="button button-danger" data-testid="cancel-job" onClick={cancel} disabled={busy !== null}>
              {busy === 'cancel' ? 'Cancelling…' : 'Cancel'}
            </button>
          )}
          {(job.status === 'failed' || job.status === 'cancelled') && (
            <button type="button" className="button" data-testid="retry-job" onClick={retry} disabled={busy !== null}>
              {busy === 'retry' ? 'Retrying…' : 'Retry'}
            </button>
          )}
        </div>
      </div>

      <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />
      {job.error && (
        <div className={`job-error job-error-${job.status}`} data-testid="job-error" role="status">
          {job.error}
        </div>
      )}

      <dl className="facts">
        <div>
          <dt>Created</dt>
          <dd>{fmtTime(job.createdAt)}</dd>
        </div>
        <div>
          <dt>Started</dt>
          <dd>{fmtTime(job.startedAt)}</dd>
        </div>
        <div>
          <dt>Finished</dt>
          <dd>{fmtTime(job.finishedAt)}</dd>
        </div>
        <div>
          <dt>{job.finishedAt ? 'Duration' : 'Elapsed'}</dt>
          <dd className="num" data-testid="job-duration">
            {fmtDuration(elapsed)}
          </dd>
        </div>
        <div>
          <dt>Attempt</dt>
          <dd className="num">
            {job.attempt}
            {job.retryOf && (
              <>
                {' '}
                <a href={routeHref('jobs', job.retryOf)} className="muted">
                  (retry of {shortId(job.retryOf)})
                </a>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>Run</dt>
          <dd>
            {job.runId ? (
              <a href={routeHref('runs', job.runId)} data-testid="job-run-link">
                {shortId(job.runId)}
              </a>
            ) : (
              '—'
            )}
          </dd>
        </div>
        <ParamsFact params={job.spec.params} />
      </dl>

      <h3>Loss</h3>
      <LossChart series={metrics.series} loading={metrics.loading} />

      {job.status === 'completed' && (
        <>
          <h3>Test metrics</h3>
          {runError && <ErrorBanner message={runError} />}
          {run ? <MetricsTable summary={run.summary} /> : !runError && <p className="muted">Loading results…</p>}
          <h3>Artifacts</h3>
          {run && <ArtifactsList artifacts={run.artifacts} />}
        </>
      )}

      <h3>Log</h3>
      <LogPanel jobId={job.id} />
    </section>
  );
}
