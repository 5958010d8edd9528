/**
 * One job: status, priority (changeable while queued), progress, cancel/retry, the timeline of its
 * transitions, what it asked for and the GPUs it was pinned to, its attempt and retry policy, the
 * jobs it waits for; for training jobs the live loss chart, test metrics and artifacts; the log.
 *
 * Test ids (job detail): `job-detail` (data-job-id, data-status), `close-detail`, `job-status`,
 * `job-priority`, `job-priority-select`, `job-boost`, `progress-bar`, `job-estimate`, `cancel-job`,
 * `retry-job`, `job-error`, `job-action-error`, `job-duration`, `job-attempt`, `job-retry-policy`,
 * `job-retry-of`, `job-run-link`, `job-resources`, `job-gpus`, `job-dependencies`,
 * `job-dependency` (data-job-id, data-status), `job-timeline` (data-count), `job-transition`
 * (data-from, data-to), `transition-cause`, `transition-log-tail`, `loss-chart`, `metrics-table`,
 * `artifacts-list`, `job-log`, `log-follow`.
 */
import { useEffect, useState, type ReactNode } from 'react';
import type { Job, TrainSpec } from '../../shared/contract';
import { ArtifactsList } from '../components/ArtifactsList';
import { ErrorBanner } from '../components/ErrorBanner';
import { Fact } from '../components/Fact';
import { JobActionButtons, JobPriorityControl } from '../components/JobControls';
import { JobProgressCell } from '../components/JobProgressCell';
import { jobSummary, retryPolicyText, fmtWaited } from '../components/JobText';
import { JobTimeline } from '../components/JobTimeline';
import { JobUsagePanel } from '../components/JobUsagePanel';
import { LogPanel } from '../components/LogPanel';
import { LossChart } from '../components/LossChart';
import { AnomalyRunView, useIsAnomalyRun } from '../components/AnomalyRunView';
import { MetricsTable } from '../components/MetricsTable';
import { ParamsFact } from '../components/ParamsFact';
import { DataHandlingFact } from '../components/RunDataSummary';
import { StatusBadge } from '../components/StatusBadge';
import { useDatasets } from '../stores/datasets';
import { isActive, useJobs } from '../stores/jobs';
import { useLogs } from '../stores/logs';
import { useMetrics, useRunMetrics } from '../stores/metrics';
import { useRuns } from '../stores/runs';
import { routeHref, selectJob } from '../stores/ui';
import { useConnection } from '../stores/connection';
import { errorMessage } from '../lib/errors';
import { fmtDuration, fmtInt, fmtTime, shortId } from '../lib/format';
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


/**
 * "epoch 6/300" while a training job trains: the last epoch its loss was recorded at, out of the
 * epochs it asked for (out of none when it left the family's default).
 */
function useEpochText(job: Job): string | null {
  const metrics = useRunMetrics(job.runId);
  if (job.status !== 'running' || job.progress.step !== 'train' || job.spec.kind !== 'train') return null;
  const loss = metrics.series.loss ?? [];
  const epoch = loss.length > 0 ? loss[loss.length - 1].step : null;
  if (epoch === null) return null;
  const total = job.spec.params.epochs;
  return typeof total === 'number' ? `epoch ${epoch}/${total}` : `epoch ${epoch}`;
}

function JobDetailBody({ job }: { job: Job }) {
  const connected = useConnection((s) => s.status === 'connected');
  const epochText = useEpochText(job);
  const [actionError, setActionError] = useState<string | null>(null);
  const now = useNow(1000, isActive(job.status));

  useEffect(() => setActionError(null), [job.id]);

  const elapsed = job.startedAt ? (job.finishedAt ?? now) - job.startedAt : null;
  const waited = (job.startedAt ?? (job.status === 'queued' ? now : job.finishedAt ?? now)) - job.createdAt;

  return (
    <section className="detail" data-testid="job-detail" data-job-id={job.id} data-status={job.status}>
      <DetailHead title={`Job ${shortId(job.id)}`}>
        <StatusBadge status={job.status} testId="job-status" />
        <JobPriorityControl job={job} now={now} onError={setActionError} />
      </DetailHead>

      <div className="detail-sub">
        {job.spec.kind === 'train' ? <TrainSummary spec={job.spec} /> : <span>{jobSummary(job)}</span>}
      </div>

      <div className="detail-progress">
        <JobProgressCell job={job} now={now} compact={false} stepDetail={epochText} />
        <div className="actions">
          <JobActionButtons job={job} onError={setActionError} onRetried={(next) => selectJob(next.id)} />
        </div>
      </div>

      {actionError && (
        <div data-testid="job-action-error">
          <ErrorBanner message={actionError} onDismiss={() => setActionError(null)} />
        </div>
      )}
      {job.error && (
        <div className={`job-error job-error-${job.status}`} data-testid="job-error" role="status">
          {job.error}
        </div>
      )}

      <dl className="facts">
        <Fact label="Created">{fmtTime(job.createdAt)}</Fact>
        <Fact label="Started">{fmtTime(job.startedAt)}</Fact>
        <Fact label="Finished">{fmtTime(job.finishedAt)}</Fact>
        <Fact label={job.finishedAt ? 'Duration' : 'Elapsed'} className="num" testId="job-duration">
          {fmtDuration(elapsed)}
        </Fact>
        <Fact label={job.startedAt ? 'Waited' : 'Waiting'} className="num" testId="job-waited">
          {fmtWaited(waited)}
        </Fact>
        <Fact label="Attempt" className="num" testId="job-attempt">
          {job.attempt} of {Math.max(job.attempt, job.retryPolicy.maxAttempts)}
          {job.retryOf && (
            <>
              {' '}
              <a href={routeHref('jobs', job.retryOf)} className="muted" data-testid="job-retry-of">
                (retry of {shortId(job.retryOf)})
              </a>
            </>
          )}
        </Fact>
        <Fact label="Retry policy" testId="job-retry-policy">
          {retryPolicyText(job)}
          {job.notBefore !== null && job.status === 'queued' && job.notBefore > now && (
            <span className="muted"> · next try at {fmtTime(job.notBefore)}</span>
          )}
        </Fact>
        {job.kind === 'train' && (
          <Fact label="Run">
            {job.runId ? (
              <a href={routeHref('runs', job.runId)} data-testid="job-run-link">
                {shortId(job.runId)}
              </a>
            ) : (
              '—'
            )}
          </Fact>
        )}
        {job.cluster && (
          <Fact label="Cluster" testId="job-cluster">
            {job.cluster} · Slurm job {job.clusterJobId ?? 'not submitted yet'}
            {job.clusterState && <span className="muted"> · {job.clusterState}</span>}
          </Fact>
        )}
        {job.spec.kind === 'train' && <ParamsFact params={job.spec.params} />}
        {job.spec.kind === 'train' && <DataHandlingFact data={job.spec.data} />}
      </dl>

      <h3>Resources</h3>
      <JobResourcesFacts job={job} />
      {connected && <JobUsagePanel jobId={job.id} running={job.status === 'running'} />}

      {job.after.length > 0 && (
        <>
          <h3>Waits for</h3>
          <JobDependencies ids={job.after} />
        </>
      )}

      <h3>Timeline</h3>
      <JobTimeline jobId={job.id} status={job.status} connected={connected} />

      {job.kind === 'train' && <TrainResults job={job} connected={connected} />}

      <h3>Log</h3>
      <LogPanel jobId={job.id} />
    </section>
  );
}

function TrainSummary({ spec }: { spec: TrainSpec }) {
  const dataset = useDatasets((s) => s.list.find((d) => d.id === spec.datasetId));
  return (
    <>
      <span title={spec.datasetId}>{dataset?.name ?? spec.datasetId}</span>
      <span className="sep">›</span>
      <span className="mono">{spec.target}</span>
      <span className="sep">›</span>
      <span>{spec.model}</span>
      <span className="muted"> · experiment {spec.experiment}</span>
    </>
  );
}

/** What the job asked the scheduler for, and the GPUs it was pinned to (CUDA_VISIBLE_DEVICES). */
function JobResourcesFacts({ job }: { job: Job }) {
  const { gpus, cpuSlots, memoryMB } = job.resources;
  const pinned = job.gpuIndices.length > 0 ? job.gpuIndices.join(', ') : gpus > 0 && job.status === 'queued' ? 'when it starts' : '—';
  return (
    <dl className="facts" data-testid="job-resources" data-gpus={gpus} data-cpu-slots={cpuSlots} data-memory-mb={memoryMB}>
      <Fact label="GPUs requested" className="num">
        {gpus}
      </Fact>
      <Fact label="CPU slots" className="num">
        {cpuSlots}
      </Fact>
      <Fact label="Memory" className="num">
        {fmtInt(memoryMB)} MB
      </Fact>
      <Fact label="GPUs pinned" className="num" testId="job-gpus">
        {pinned}
      </Fact>
    </dl>
  );
}

/** The jobs this one waits for, each a link with its status when the renderer knows it. */
function JobDependencies({ ids }: { ids: string[] }) {
  // One string so the list renders again only when a dependency's status changes.
  const statuses = useJobs((s) => ids.map((id) => s.byId[id]?.status ?? '').join(' '));
  const byIndex = statuses.split(' ');
  return (
    <ul className="job-deps" data-testid="job-dependencies">
      {ids.map((id, i) => (
        <li key={id}>
          <a href={routeHref('jobs', id)} data-testid="job-dependency" data-job-id={id} data-status={byIndex[i] || 'unknown'}>
            {shortId(id)}
          </a>{' '}
          {byIndex[i] ? <StatusBadge status={byIndex[i] as Job['status']} /> : <span className="muted">not loaded</span>}
        </li>
      ))}
    </ul>
  );
}

/** A training job's loss chart, and once it completed its test metrics and artifacts. */
function TrainResults({ job, connected }: { job: Job; connected: boolean }) {
  const run = useRuns((s) => (job.runId ? s.byId[job.runId] : undefined));
  const runError = useRuns((s) => (job.runId ? s.errors[job.runId] : undefined));
  const metrics = useRunMetrics(job.runId);
  const anomaly = useIsAnomalyRun(run);

  // The run's stored series, then live points from events.
  useEffect(() => {
    if (job.runId && connected) void useMetrics.getState().load(job.runId);
  }, [job.runId, connected]);

  // Summary and artifacts, once the job has finished.
  useEffect(() => {
    if (job.runId && connected && !isActive(job.status)) void useRuns.getState().loadRun(job.runId);
  }, [job.runId, job.status, connected]);

  // A job that ended before its first epoch has no loss to draw: say so in a line, not an empty chart.
  const hasLoss = (metrics.series.loss?.length ?? 0) + (metrics.series.val_loss?.length ?? 0) > 0;
  const noLossEver = !isActive(job.status) && job.status !== 'completed' && metrics.loaded && !hasLoss;
  return (
    <>
      <h3>Loss</h3>
      {noLossEver ? (
        <p className="muted" data-testid="loss-none">
          No loss was recorded: the job {job.status === 'failed' ? 'failed' : 'was cancelled'} before its first epoch.
        </p>
      ) : (
        <LossChart series={metrics.series} loading={metrics.loading} />
      )}

      {job.status === 'completed' && (
        <>
          <h3>Metrics against the baselines</h3>
          {runError && <ErrorBanner message={runError} />}
          {run ? (
            anomaly ? <AnomalyRunView run={run} series={metrics.series} /> : <MetricsTable summary={run.summary} />
          ) : (
            !runError && <p className="muted">Loading results…</p>
          )}
          <h3>Artifacts</h3>
          {run && <ArtifactsList artifacts={run.artifacts} />}
        </>
      )}
    </>
  );
}
