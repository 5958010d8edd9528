/** One run: lineage, params, loss curves, test metrics against the naive baseline, artifacts. */
import { useEffect } from 'react';
import { ArtifactsList } from '../components/ArtifactsList';
import { ErrorBanner } from '../components/ErrorBanner';
import { LossChart } from '../components/LossChart';
import { MetricsTable } from '../components/MetricsTable';
import { ParamsFact } from '../components/ParamsFact';
import { StatusBadge } from '../components/StatusBadge';
import { useConnection } from '../stores/connection';
import { useDatasets } from '../stores/datasets';
import { useMetrics, useRunMetrics } from '../stores/metrics';
import { useRuns } from '../stores/runs';
import { navigate, routeHref } from '../stores/ui';
import { fmtDuration, fmtTime, shortId } from '../lib/format';

export function RunDetail({ runId }: { runId: string }) {
  const run = useRuns((s) => s.byId[runId]);
  const error = useRuns((s) => s.errors[runId]);
  const metrics = useRunMetrics(runId);
  const connected = useConnection((s) => s.status === 'connected');
  const dataset = useDatasets((s) => (run?.datasetId ? s.list.find((d) => d.id === run.datasetId) : undefined));

  useEffect(() => {
    if (!connected) return;
    void useRuns.getState().loadRun(runId);
    void useMetrics.getState().load(runId);
  }, [runId, connected]);


  return (
    <section className="view run-detail" data-testid="run-detail" data-run-id={runId} data-status={run?.status}>
      <header className="view-head">
        <button type="button" className="button button-small" onClick={() => navigate('runs')} data-testid="back-to-runs">
          ← Runs
        </button>
        <h1>Run {shortId(runId)}</h1>
        {run && <StatusBadge status={run.status} testId="run-status" />}
      </header>
      <ErrorBanner message={error} />
      {!run && !error && <p className="muted">Loading run…</p>}
      {run && (
        <>
          <dl className="facts">
            <div>
              <dt>Model</dt>
              <dd>{run.model}</dd>
            </div>
            <div>
              <dt>Experiment</dt>
              <dd>{run.experiment}</dd>
            </div>
            <div>
              <dt>Dataset</dt>
              <dd title={run.datasetSha256 ? `sha256 ${run.datasetSha256}` : undefined}>
                {dataset?.name ?? (run.datasetId ? shortId(run.datasetId) : '—')}
              </dd>
            </div>
            <div>
              <dt>Backend</dt>
              <dd>
                {run.backend ?? '—'}
                {run.device ? ` · ${run.device}` : ''}
              </dd>
            </div>
            <div>
              <dt>Created</dt>
              <dd>{fmtTime(run.createdAt)}</dd>
            </div>
            <div>
              <dt>Duration</dt>
              <dd className="num">{run.finishedAt ? fmtDuration(run.finishedAt - run.createdAt) : '—'}</dd>
            </div>
            <div>
              <dt>Job</dt>
              <dd>{run.jobId ? <a href={routeHref('jobs', run.jobId)}>{shortId(run.jobId)}</a> : '—'}</dd>
            </div>
            <ParamsFact params={run.params} />
          </dl>

          <h3>Loss</h3>
          <LossChart series={metrics.series} loading={metrics.loading} />

          <h3>Test metrics</h3>
          <MetricsTable summary={run.summary} />

          <h3>Artifacts</h3>
          <ArtifactsList artifacts={run.artifacts} />
        </>
      )}
    </section>
  );
}
