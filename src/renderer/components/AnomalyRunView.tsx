/**
 * The results of an anomaly run, in place of the forecast table: the threshold and how it was
 * chosen, the anomaly metrics (point-wise and event figures, validation and test, beside a random
 * scorer), the test rows' series with flagged rows marked and labelled windows shaded, and each
 * row's score against the threshold. Drawn with uPlot.
 *
 * Test ids: `anomaly-run-view`, `anomaly-threshold` (data-method), `anomaly-metrics-table`,
 * `anomaly-metric-<part>-<key>` (part: val, test, random), `anomaly-series-plot` (data-points,
 * data-flagged, data-windows), `anomaly-score-plot` (data-points), `anomaly-results-missing`.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { MetricPoint, Run } from '../../shared/contract';
import { fmtNum } from '../lib/format';
import { anomalyMetricRows, anomalySeriesData, thresholdText, type AnomalyMetricRow, type LabelledWindow } from './anomaly-data';
import { AnomalyScorePlot } from './AnomalyScorePlot';
import { anomalyScoreData } from './chart-data';
import { useFamilyList } from './FamilyFields';
import { dots, resultPlotOptions } from './PredictionPlots';
import { useUplot } from './uplot-host';

const WINDOW_FILL = 'rgba(245, 165, 36, 0.18)';

/** Whether a run is an anomaly run: its family's task, or (before the families load) the threshold it records. */
export function useIsAnomalyRun(run: Run | undefined): boolean {
  const { families } = useFamilyList();
  if (!run) return false;
  const family = families.find((f) => f.name === run.model);
  return family ? family.task === 'anomaly' : 'threshold' in run.summary || 'thresholdChosenBy' in run.params;
}

/** Shades each labelled window across the plot, under the series. */
function shadeWindows(windows: LabelledWindow[]): uPlot.Hooks.Arrays['drawClear'] {
  return [
    (u: uPlot) => {
      const ctx = u.ctx;
      ctx.save();
      ctx.fillStyle = WINDOW_FILL;
      for (const w of windows) {
        const x0 = u.valToPos(w.from - 0.5, 'x', true);
        const x1 = u.valToPos(w.to + 0.5, 'x', true);
        ctx.fillRect(x0, u.bbox.top, Math.max(1, x1 - x0), u.bbox.height);
      }
      ctx.restore();
    },
  ];
}

function SeriesPlot({ series, target }: { series: Record<string, MetricPoint[]>; target: string }) {
  const s = useMemo(() => anomalySeriesData(series), [series]);
  const opts = useMemo(
    () => ({
      ...resultPlotOptions('row', target, [{ label: target, stroke: '#4c9aff', width: 1 }, dots('flagged', '#f25f5c', 6)]),
      hooks: { drawClear: shadeWindows(s?.windows ?? []) },
    }),
    [s, target],
  );
  const data = (s?.data ?? [[], [], []]) as uPlot.AlignedData;
  const hostRef = useUplot(() => opts, data, { height: 260 }, [opts]);
  if (!s) return null;
  return (
    <div className="chart" data-testid="anomaly-series-plot" data-points={s.data[0].length} data-flagged={s.flagged} data-windows={s.windows.length}>
      <div ref={hostRef} className="chart-host" />
      <small className="muted">Test rows: flagged rows marked, labelled windows shaded.</small>
    </div>
  );
}

const cellClass = (r: AnomalyMetricRow, v: number | undefined) =>
  `num${r.better && v !== undefined && r.random !== undefined && (r.better === 'higher' ? v > r.random : v < r.random) ? ' better' : ''}`;

function AnomalyMetricsTable({ summary }: { summary: Record<string, number> }) {
  const rows = anomalyMetricRows(summary);
  if (rows.length === 0) return null;
  return (
    <table className="table metrics-table" data-testid="anomaly-metrics-table">
      <thead>
        <tr>
          <th>Metric</th>
          <th className="num">Validation</th>
          <th className="num">Test</th>
          <th className="num">Random scorer (test)</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">
              {r.label} {r.better && <span className="muted">{r.better === 'higher' ? '↑' : '↓'}</span>}
            </th>
            <td className="num" data-testid={`anomaly-metric-val-${r.key}`}>
              {fmtNum(r.val)}
            </td>
            <td className={cellClass(r, r.test)} data-testid={`anomaly-metric-test-${r.key}`}>
              {fmtNum(r.test)}
            </td>
            <td className="num" data-testid={`anomaly-metric-random-${r.key}`}>
              {fmtNum(r.random)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AnomalyRunView({ run, series, target = 'value' }: { run: Run; series: Record<string, MetricPoint[]>; target?: string }) {
  const threshold = run.summary.threshold;
  const scores = useMemo(() => anomalyScoreData(series, threshold), [series, threshold]);
  const method = String(run.params.thresholdChosenBy ?? run.params.threshold ?? '');
  return (
    <section className="anomaly-run" data-testid="anomaly-run-view">
      <h3>Anomaly detection</h3>
      {threshold === undefined ? (
        <p className="muted" data-testid="anomaly-results-missing">
          {run.status === 'running' ? 'The threshold and the anomaly metrics appear when training ends.' : 'This run recorded no threshold.'}
        </p>
      ) : (
        <p data-testid="anomaly-threshold" data-method={method}>
          Threshold <span className="mono">{fmtNum(threshold)}</span>: rows scoring above it are flagged. Chosen by {thresholdText(run)}.
        </p>
      )}
      <AnomalyMetricsTable summary={run.summary} />
      <SeriesPlot series={series} target={target} />
      {scores && (
        <>
          <h3>Anomaly scores on the test split</h3>
          <AnomalyScorePlot data={scores} />
        </>
      )}
    </section>
  );
}
