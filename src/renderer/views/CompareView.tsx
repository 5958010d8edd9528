/**
 * Compare runs side by side (`#/compare/<id>,<id>...`): each chosen metric overlaid across the runs
 * (one colour per run, the same in every chart, the diff table and the parallel coordinates), a
 * parameter diff table that marks what differs, the final metrics, and a parallel-coordinates chart
 * of the params against a chosen metric.
 *
 * Test ids (Compare view): `compare-view` (data-runs), `back-to-runs`, `compare-runs`, `compare-run` (data-run-id),
 * `compare-metric-picker`, `compare-metric-option` (data-key), `compare-chart` (data-series,
 * data-points; its wrapper has data-metric), `chart-legend-item` (data-series-id),
 * `chart-controls`, `chart-x-mode`, `chart-log`, `chart-smoothing`, `compare-params`,
 * `compare-param-row` (data-key, data-differs), `compare-only-diff`, `compare-metrics`,
 * `compare-metric-row` (data-key), `parallel-metric`, `parallel-coords` (data-axes).
 */
import { useEffect, useMemo, useState } from 'react';
import type { Run } from '../../shared/contract';
import { ChartControls, DEFAULT_CHART_SETTINGS, type ChartSettings } from '../components/ChartControls';
import { seriesColor, type LineSeries } from '../components/chart-data';
import { ErrorBanner } from '../components/ErrorBanner';
import { OptionList } from '../components/LabelledSelect';
import { ParallelCoordinates, type ParallelRun } from '../components/ParallelCoordinates';
import { ZoomableSeriesChart, type StepWindow } from '../components/ZoomableSeriesChart';
import { api } from '../api/client';
import { StatusBadge } from '../components/StatusBadge';
import { useConnection } from '../stores/connection';
import { parseCompareRouteId, useRuns } from '../stores/runs';
import { navigate, routeHref, useRoute } from '../stores/ui';
import { fmtMetric, fmtParam, shortId } from '../lib/format';
import { bestValue, isModelMetric, mixedInputs, overlayKeys } from './CompareData';
import { useDatasets } from '../stores/datasets';
import { useJobs } from '../stores/jobs';

/** What to overlay first: the training curves when the runs have them. */
const PREFERRED = ['loss', 'val_loss'];

export function runLabel(run: Run): string {
  return `${shortId(run.id)} · ${run.model}`;
}

/** A comparison table's head: what the rows are, then one column per run (with its colour, when given). */
function RunsHead({ first, runs, colors, numeric = false }: { first: string; runs: Run[]; colors?: Map<string, string>; numeric?: boolean }) {
  return (
    <thead>
      <tr>
        <th>{first}</th>
        {runs.map((r) => (
          <th key={r.id} className={numeric ? 'num' : undefined} title={r.id}>
            {colors && <span className="swatch" style={{ background: colors.get(r.id) }} aria-hidden="true" />}
            {shortId(r.id)}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function CompareView() {
  const routeId = useRoute((r) => (r.view === 'compare' ? r.id : null));
  const ids = useMemo(() => parseCompareRouteId(routeId), [routeId]);
  const compare = useRuns((s) => s.compare);
  const connected = useConnection((s) => s.status === 'connected');
  const [settings, setSettings] = useState<ChartSettings>(DEFAULT_CHART_SETTINGS);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [onlyDiff, setOnlyDiff] = useState(false);
  const [pcMetric, setPcMetric] = useState<string | null>(null);
  const idsKey = ids.join(',');

  useEffect(() => {
    if (connected && ids.length >= 2) void useRuns.getState().loadCompare(ids);
    // idsKey stands for ids: a new array with the same runs is the same comparison.
  }, [idsKey, connected]);

  const current = compare.ids.join(',') === idsKey ? compare : null;
  const data = current?.data ?? null;
  const runs = data?.runs ?? [];
  const colors = useMemo(() => new Map(runs.map((r, i) => [r.id, seriesColor(i)])), [runs]);
  const available = useMemo(() => overlayKeys(current?.series ?? {}), [current?.series]);
  const metrics = chosen ?? (available.filter((k) => PREFERRED.includes(k)).length ? available.filter((k) => PREFERRED.includes(k)) : available.slice(0, 1));
  // The model's metrics only: the last predicted value is no score, and lowest is not best for it.
  const finalMetrics = useMemo(() => (data?.metrics ?? []).filter((m) => isModelMetric(m.key)), [data]);
  const summaryKeys = finalMetrics.map((m) => m.key);
  const jobsById = useJobs((s) => s.byId);
  const datasetNames = useDatasets((s) => s.list);
  const mixed = useMemo(
    () =>
      mixedInputs(
        runs.map((r) => {
          const spec = r.jobId ? jobsById[r.jobId]?.spec : undefined;
          return { datasetId: r.datasetId, target: spec?.kind === 'train' ? spec.target : null };
        }),
      ),
    [runs, jobsById],
  );
  const datasetName = (id: string) => datasetNames.find((d) => d.id === id)?.name ?? shortId(id);
  const parallelMetric = pcMetric ?? (summaryKeys.includes('test.rmse') ? 'test.rmse' : (summaryKeys[0] ?? ''));

  const parallelRuns: ParallelRun[] = useMemo(() => {
    if (!data) return [];
    const row = finalMetrics.find((m) => m.key === parallelMetric);
    return data.runs.map((r, i) => ({
      id: r.id,
      label: runLabel(r),
      color: colors.get(r.id) ?? seriesColor(i),
      params: r.params,
      metric: row?.values[i] ?? null,
    }));
  }, [data, finalMetrics, parallelMetric, colors]);

  if (ids.length < 2) {
    return (
      <div className="view" data-testid="compare-view" data-runs={ids.length}>
        <header className="view-head">
          <h1>Compare</h1>
        </header>
        <p className="muted">
          Select two or more runs in <a href={routeHref('runs')}>Runs</a> and press Compare.
        </p>
      </div>
    );
  }

  const linesFor = (key: string): LineSeries[] =>
    runs.map((r) => ({
      id: r.id,
      label: runLabel(r),
      color: colors.get(r.id)!,
      points: current?.series[r.id]?.find((s) => s.key === key)?.points ?? [],
    }));
  // A chart zoomed in: each run's series of `key` over the window, read again from the core.
  const windowLinesFor = async (key: string, w: StepWindow): Promise<LineSeries[]> => {
    const got = await Promise.all(runs.map((r) => api().runs.metrics({ id: r.id, keys: [key], from: w.from, to: w.to })));
    return runs.map((r, i) => ({ id: r.id, label: runLabel(r), color: colors.get(r.id)!, points: got[i][0]?.points ?? [] }));
  };
  const toggleMetric = (key: string) => setChosen(metrics.includes(key) ? metrics.filter((k) => k !== key) : [...metrics, key]);
  const paramRows = (data?.params ?? []).filter((p) => !onlyDiff || p.differs);

  return (
    <div className="view compare-view" data-testid="compare-view" data-runs={ids.length}>
      <header className="view-head">
        <button type="button" className="button button-small" onClick={() => navigate('runs')} data-testid="back-to-runs">
          ← Runs
        </button>
        <h1>Compare {ids.length} runs</h1>
        {current?.loading && <span className="muted">loading…</span>}
      </header>
      <ErrorBanner message={current?.error} />
      {mixed && (
        <p className="notice notice-warn" role="status" data-testid="compare-mixed">
          These runs were not trained on the same data
          {mixed.datasets.length > 1 && <> (datasets {mixed.datasets.map(datasetName).join(', ')})</>}
          {mixed.targets.length > 1 && <> (targets {mixed.targets.join(', ')})</>}: their metrics measure different things and do not rank the
          models.
        </p>
      )}

      {data && (
        <>
          <ul className="compare-runs" data-testid="compare-runs">
            {runs.map((r) => (
              <li key={r.id} data-testid="compare-run" data-run-id={r.id}>
                <span className="swatch" style={{ background: colors.get(r.id) }} aria-hidden="true" />
                <a href={routeHref('runs', r.id)} className="mono" title={r.id}>
                  {shortId(r.id)}
                </a>
                <span>{r.model}</span>
                <span className="muted">{r.experiment}</span>
                <StatusBadge status={r.status} />
              </li>
            ))}
          </ul>

          <div className="section-head">
            <h3>Metrics over training</h3>
            <ChartControls value={settings} onChange={setSettings} />
          </div>
          <div className="metric-picker" data-testid="compare-metric-picker">
            {available.length === 0 && <span className="muted">These runs recorded no curves.</span>}
            {available.map((k) => (
              <label key={k} className={`chip${metrics.includes(k) ? ' on' : ''}`}>
                <input type="checkbox" checked={metrics.includes(k)} onChange={() => toggleMetric(k)} data-testid="compare-metric-option" data-key={k} />
                <span className="mono">{k}</span>
              </label>
            ))}
          </div>
          <div className="chart-grid">
            {metrics.map((k) => (
              <div key={k} data-metric={k} className="compare-chart">
                <ZoomableSeriesChart title={k} lines={linesFor(k)} loadWindow={(w) => windowLinesFor(k, w)} testId="compare-chart" {...settings} emptyText={`No run recorded ${k}.`} />
              </div>
            ))}
          </div>

          <div className="run-columns">
            <div>
              <div className="section-head">
                <h3>Params</h3>
                <label className="check">
                  <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} data-testid="compare-only-diff" />
                  <span>Only what differs</span>
                </label>
              </div>
              <div className="table-wrap">
                <table className="table compare-table" data-testid="compare-params">
                  <RunsHead first="Param" runs={runs} colors={colors} />
                  <tbody>
                    {paramRows.map((p) => (
                      <tr key={p.key} className={p.differs ? 'differs' : undefined} data-testid="compare-param-row" data-key={p.key} data-differs={p.differs}>
                        <th scope="row" className="mono">
                          {p.key}
                        </th>
                        {p.values.map((v, i) => (
                          <td key={runs[i]?.id ?? i} className="mono">
                            {fmtParam(v)}
                          </td>
                        ))}
                      </tr>
                    ))}
                    {paramRows.length === 0 && (
                      <tr className="empty-row">
                        <td colSpan={runs.length + 1}>{onlyDiff ? 'The params are the same in every run.' : 'No params were recorded.'}</td>
                      </tr>
                    )}
                  </tbody>
                </table>
              </div>
            </div>
            <div>
              <h3>Final metrics</h3>
              <div className="table-wrap">
                <table className="table compare-table" data-testid="compare-metrics">
                  <RunsHead first="Metric" runs={runs} numeric />
                  <tbody>
                    {finalMetrics.map((m) => {
                      const best = bestValue(m.key, m.values);
                      return (
                        <tr key={m.key} data-testid="compare-metric-row" data-key={m.key}>
                          <th scope="row" className="mono">
                            {m.key}
                          </th>
                          {m.values.map((v, i) => (
                            <td key={runs[i]?.id ?? i} className={`num${v !== null && v === best ? ' better' : ''}`} title={v !== null && v === best ? 'Best' : undefined}>
                              {fmtMetric(m.key, v)}
                            </td>
                          ))}
                        </tr>
                      );
                    })}
                  </tbody>
                </table>
              </div>
            </div>
          </div>

          <div className="section-head">
            <h3>Params against a metric</h3>
            <select value={parallelMetric} onChange={(e) => setPcMetric(e.target.value)} aria-label="Metric" data-testid="parallel-metric">
              <OptionList options={summaryKeys} />
            </select>
          </div>
          {parallelMetric ? <ParallelCoordinates runs={parallelRuns} metricKey={parallelMetric} /> : <p className="muted">No metric to plot against.</p>}
        </>
      )}
    </div>
  );
}
