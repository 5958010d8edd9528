/**
 * One run: lineage, params, tags and note (editable), metric curves (downsampled by the core),
 * test metrics against the naive baseline, prediction plots, system metrics, the job's log and the
 * artifacts with their size and sha256.
 *
 * Test ids (run detail): `run-detail` (data-run-id, data-status), `back-to-runs`, `run-status`,
 * `run-archive`, `run-register` (completed runs; opens RegisterDialog), `run-params`, `run-tags`, `run-tag` (data-key), `run-tag-remove`, `run-tag-key`,
 * `run-tag-value`, `run-tag-add`, `run-note`, `run-note-save`, `run-edit-error`, `chart-controls`,
 * `chart-x-mode`, `chart-log`, `chart-smoothing`, `run-metric-chart` (data-series, data-points),
 * `chart-legend-item`, `metrics-table`, `prediction-scatter` (data-points), `residual-plot`
 * (data-points), `run-predictions-missing`, `anomaly-run-view` (an anomaly run's results in place
 * of the forecast table; see AnomalyRunView), `run-system-chart`
 * (data-series, data-points),
 * `job-log`, `run-artifacts`, `run-artifact`, `run-target` (the column the run forecasts or scores),
 * `forecast-time-chart` (see ForecastTimeChart), `log-download` (see LogDownload); the data
 * summary's ids are in components/RunDataSummary.tsx.
 */
import { useEffect, useMemo, useState } from 'react';
import type { MetricPoint, Run } from '../../shared/contract';
import { ChartControls, DEFAULT_CHART_SETTINGS, type ChartSettings } from '../components/ChartControls';
import { Fact } from '../components/Fact';
import { curveGroups, predictionRows, seriesColor, systemGroups, type LineSeries } from '../components/chart-data';
import { AnomalyRunView, useIsAnomalyRun } from '../components/AnomalyRunView';
import { ArtifactsList } from '../components/ArtifactsList';
import { ErrorBanner } from '../components/ErrorBanner';
import { ForecastTimeChart } from '../components/ForecastTimeChart';
import { LogDownload } from '../components/LogDownload';
import { LogPanel } from '../components/LogPanel';
import { MetricsTable } from '../components/MetricsTable';
import { PredictionPlots } from '../components/PredictionPlots';
import { RunDataSummary } from '../components/RunDataSummary';
import { RegisterDialog } from '../components/RegisterDialog';
import { suggestModelName } from '../components/model-data';
import { isDataParam } from '../../shared/run-data';
import { SeriesChart } from '../components/SeriesChart';
import { ZoomableSeriesChart, type StepWindow } from '../components/ZoomableSeriesChart';
import { api } from '../api/client';
import { StatusBadge } from '../components/StatusBadge';
import { useConnection } from '../stores/connection';
import { useDatasets } from '../stores/datasets';
import { useJobs } from '../stores/jobs';
import { useLogs } from '../stores/logs';
import { useMetrics, useRunMetrics, type SeriesByKey } from '../stores/metrics';
import { useRuns } from '../stores/runs';
import { navigate, routeHref } from '../stores/ui';
import { errorMessage } from '../lib/errors';
import { fmtBytes, fmtDuration, fmtTime, shortId } from '../lib/format';

function lines(series: SeriesByKey, keys: string[]): LineSeries[] {
  return keys.map((key, i) => ({ id: key, label: key, color: seriesColor(i), points: series[key] as MetricPoint[] }));
}

/** A window of steps of the run's series, read again from the core (a chart zoomed in). */
async function windowLines(runId: string, keys: string[], w: StepWindow): Promise<LineSeries[]> {
  const got = await api().runs.metrics({ id: runId, keys, from: w.from, to: w.to });
  return lines(Object.fromEntries(got.map((s) => [s.key, s.points])), keys);
}

export function RunDetail({ runId }: { runId: string }) {
  const run = useRuns((s) => s.byId[runId]);
  const error = useRuns((s) => s.errors[runId]);
  const metrics = useRunMetrics(runId);
  const connected = useConnection((s) => s.status === 'connected');
  const dataset = useDatasets((s) => (run?.datasetId ? s.list.find((d) => d.id === run.datasetId) : undefined));
  const [settings, setSettings] = useState<ChartSettings>(DEFAULT_CHART_SETTINGS);
  const [registerOpen, setRegisterOpen] = useState(false);
  const jobId = run?.jobId ?? null;
  const target = useRunTarget(jobId, connected);
  const predictionsFile = run?.artifacts.find((a) => a.kind === 'predictions');

  useEffect(() => {
    if (!connected) return;
    void useRuns.getState().loadRun(runId);
    void useMetrics.getState().load(runId);
  }, [runId, connected]);

  useEffect(() => {
    if (connected && jobId) void useLogs.getState().open(jobId);
  }, [jobId, connected]);

  const groups = useMemo(() => curveGroups(metrics.series), [metrics.series]);
  const system = useMemo(() => systemGroups(Object.keys(metrics.series)), [metrics.series]);
  const predictions = useMemo(() => predictionRows(metrics.series), [metrics.series]);
  const anomaly = useIsAnomalyRun(run);

  return (
    <section className="view run-detail" data-testid="run-detail" data-run-id={runId} data-status={run?.status}>
      <header className="view-head">
        <button type="button" className="button button-small" onClick={() => navigate('runs')} data-testid="back-to-runs">
          ← Runs
        </button>
        <h1>Run {shortId(runId)}</h1>
        {target && (
          <span className="run-target" data-testid="run-target" title="The column this run forecasts or scores">
            {anomaly ? 'scores' : 'forecasts'} <span className="mono">{target}</span>
          </span>
        )}
        {run && <StatusBadge status={run.status} testId="run-status" />}
        {run?.archived && <span className="tag">archived</span>}
        <span className="spacer" />
        {run?.status === 'completed' && (
          <button type="button" className="button button-primary" onClick={() => setRegisterOpen(true)} data-testid="run-register" title="Register this run's model as a new version in the model registry">
            Register
          </button>
        )}
        {run && <ArchiveButton run={run} />}
      </header>
      {registerOpen && run && (
        <RegisterDialog source={{ runId: run.id }} suggestedName={suggestModelName(dataset?.name, run.experiment)} onClose={() => setRegisterOpen(false)} />
      )}
      <ErrorBanner message={error} />
      {!run && !error && <p className="muted">Loading run…</p>}
      {run && (
        <>
          <dl className="facts">
            <Fact label="Model">{run.model}</Fact>
            <Fact label="Experiment">{run.experiment}</Fact>
            <Fact label="Dataset" title={run.datasetSha256 ? `sha256 ${run.datasetSha256}` : undefined}>
              {dataset?.name ?? (run.datasetId ? shortId(run.datasetId) : '—')}
              {run.datasetSha256 && <span className="muted mono"> · {run.datasetSha256.slice(0, 12)}</span>}
            </Fact>
            <Fact label="Backend">
              {run.backend ?? '—'}
              {run.device ? ` · ${run.device}` : ''}
            </Fact>
            <Fact label="Created">{fmtTime(run.createdAt)}</Fact>
            <Fact label="Duration" className="num">{run.finishedAt ? fmtDuration(run.finishedAt - run.createdAt) : '—'}</Fact>
            <Fact label="Job">{run.jobId ? <a href={routeHref('jobs', run.jobId)}>{shortId(run.jobId)}</a> : '—'}</Fact>
          </dl>

          <div className="run-columns">
            <div>
              <h3>Params</h3>
              <ParamsTable params={run.params} />
            </div>
            <div>
              <h3>Tags and note</h3>
              <RunNotes run={run} />
            </div>
          </div>

          <h3>Data and split</h3>
          <RunDataSummary params={run.params} />

          <div className="section-head beside-title">
            <h3>Metrics</h3>
            <ChartControls value={settings} onChange={setSettings} />
          </div>
          {groups.length === 0 && (
            <p className="muted">{metrics.loading ? 'Loading metrics…' : 'Curves appear here after the first epoch.'}</p>
          )}
          <div className="chart-grid">
            {groups.map((g) => (
              <ZoomableSeriesChart
                key={g.title}
                title={g.title}
                lines={lines(metrics.series, g.keys)}
                loadWindow={(w) => windowLines(runId, g.keys, w)}
                testId="run-metric-chart"
                {...settings}
              />
            ))}
          </div>

          {anomaly ? (
            <AnomalyRunView run={run} series={metrics.series} />
          ) : (
            <>
              <h3>Test metrics</h3>
              <MetricsTable summary={run.summary} />
              {predictionsFile && (
                <>
                  <h3>Forecast over time</h3>
                  <ForecastTimeChart artifact={predictionsFile} target={target} />
                </>
              )}
              <h3>Predictions on the test split</h3>
              {predictions.length > 0 ? <PredictionPlots rows={predictions} /> : <PredictionsMissing run={run} />}
            </>
          )}

          {system.length > 0 && (
            <>
              <h3>System</h3>
              <div className="chart-grid">
                {system.map((g) => (
                  <SeriesChart
                    key={g.title}
                    title={g.title}
                    lines={lines(metrics.series, g.keys)}
                    testId="run-system-chart"
                    xMode={settings.xMode === 'step' ? 'relative' : settings.xMode}
                    height={160}
                  />
                ))}
              </div>
            </>
          )}

          <div className="section-head">
            <h3>Log</h3>
            {run.jobId && <LogDownload jobId={run.jobId} />}
          </div>
          {run.jobId ? <LogPanel jobId={run.jobId} /> : <p className="muted">This run has no job, so no log.</p>}

          <h3>Artifacts</h3>
          <ArtifactsList artifacts={run.artifacts} testId="run-artifacts" rowTestId="run-artifact" withHash />
        </>
      )}
    </section>
  );
}

/** The column the run's job trained on: from the jobs already loaded, else asked for once. */
function useRunTarget(jobId: string | null, connected: boolean): string | null {
  const job = useJobs((s) => (jobId ? s.byId[jobId] : undefined));
  useEffect(() => {
    if (jobId && connected && !job) {
      useJobs
        .getState()
        .fetchOne(jobId)
        .catch((err: unknown) => console.warn(`The job of this run (${jobId}) could not be read for its target`, err));
    }
  }, [jobId, connected, job]);
  return job?.spec.kind === 'train' ? job.spec.target : null;
}

function ParamsTable({ params }: { params: Run['params'] }) {
  // The data summary and split boundaries have their own section.
  const entries = Object.entries(params)
    .filter(([k]) => !isDataParam(k))
    .sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted" data-testid="run-params">No params were recorded.</p>;
  return (
    <table className="table kv-table" data-testid="run-params">
      <tbody>
        {entries.map(([k, v]) => (
          <tr key={k}>
            <th scope="row" className="mono">
              {k}
            </th>
            <td className="mono">{String(v)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ArchiveButton({ run }: { run: Run }) {
  const [err, setErr] = useState<string | null>(null);
  return (
    <>
      {err && <span className="field-error">{err}</span>}
      <button
        type="button"
        className="button"
        onClick={() => {
          setErr(null);
          useRuns
            .getState()
            .updateRun({ id: run.id, archived: !run.archived })
            .catch((e: unknown) => setErr(errorMessage(e)));
        }}
        data-testid="run-archive"
        title={run.archived ? 'Show this run in lists again' : 'Hide this run from lists without deleting it'}
      >
        {run.archived ? 'Unarchive' : 'Archive'}
      </button>
    </>
  );
}

/** Tags as removable chips with a key/value form to add one, and the free-form note. Each edit goes to runs.update. */
function RunNotes({ run }: { run: Run }) {
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [note, setNote] = useState(run.note ?? '');
  const [saving, setSaving] = useState(false);
  const [err, setErr] = useState<string | null>(null);
  useEffect(() => setNote(run.note ?? ''), [run.id, run.note]);

  async function save(change: { tags?: Record<string, string>; note?: string | null }) {
    setSaving(true);
    setErr(null);
    try {
      await useRuns.getState().updateRun({ id: run.id, ...change });
      return true;
    } catch (e) {
      setErr(errorMessage(e));
      return false;
    } finally {
      setSaving(false);
    }
  }

  const tags = Object.entries(run.tags).sort(([a], [b]) => a.localeCompare(b));
  const noteChanged = note !== (run.note ?? '');
  return (
    <div className="run-notes">
      <ul className="tag-list" data-testid="run-tags">
        {tags.length === 0 && <li className="muted">No tags.</li>}
        {tags.map(([k, v]) => (
          <li key={k} className="tag-chip" data-testid="run-tag" data-key={k}>
            <span className="mono">
              {k}: {v}
            </span>
            <button
              type="button"
              className="link-button"
              aria-label={`Remove tag ${k}`}
              disabled={saving}
              onClick={() => {
                const next = { ...run.tags };
                delete next[k];
                void save({ tags: next });
              }}
              data-testid="run-tag-remove"
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      <form
        className="tag-form"
        onSubmit={(e) => {
          e.preventDefault();
          const k = key.trim();
          if (!k) return;
          void save({ tags: { ...run.tags, [k]: value.trim() } }).then((ok) => {
            if (ok) {
              setKey('');
              setValue('');
            }
          });
        }}
      >
        <input placeholder="tag (stage)" value={key} onChange={(e) => setKey(e.target.value)} maxLength={100} data-testid="run-tag-key" />
        <input placeholder="value (candidate)" value={value} onChange={(e) => setValue(e.target.value)} maxLength={500} data-testid="run-tag-value" />
        <button type="submit" className="button button-small" disabled={saving || !key.trim()} data-testid="run-tag-add">
          Add tag
        </button>
      </form>
      <textarea
        className="note"
        placeholder="What was tried, what was learned…"
        value={note}
        onChange={(e) => setNote(e.target.value)}
        rows={4}
        maxLength={20000}
        data-testid="run-note"
      />
      <div className="note-actions">
        <button type="button" className="button button-small" disabled={saving || !noteChanged} onClick={() => void save({ note: note.trim() ? note : null })} data-testid="run-note-save">
          {saving ? 'Saving…' : 'Save note'}
        </button>
        {err && (
          <span className="field-error" data-testid="run-edit-error">
            {err}
          </span>
        )}
      </div>
    </div>
  );
}

function PredictionsMissing({ run }: { run: Run }) {
  const file = run.artifacts.find((a) => a.kind === 'predictions');
  return (
    <p className="muted" data-testid="run-predictions-missing">
      {file
        ? `The test predictions are stored in ${file.path} (${fmtBytes(file.sizeBytes)}); the plots appear once the run records them as series.`
        : run.status === 'running'
          ? 'Predictions are written when training ends.'
          : 'This run recorded no test predictions.'}
    </p>
  );
}
