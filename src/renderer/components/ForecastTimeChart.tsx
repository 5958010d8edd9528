/**
 * Actual against forecast over the test split's time, from the run's stored `predictions.csv`
 * (read through the API, which works in the browser and the desktop app alike), with the
 * seasonal-naive baseline dashed when the run scored one. Drawn with uPlot.
 *
 * Test ids: `forecast-time-chart` (data-points, data-series, data-time), `forecast-time-error`.
 */
import { useEffect, useState } from 'react';
import type uPlot from 'uplot';
import type { Artifact } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { fmtNum } from '../lib/format';
import { parsePredictionsCsv, type ForecastSeries } from './forecast-data';
import { base64ToBytes } from './model-data';
import { AXIS_LABEL_FONT, AXIS_STYLE, useUplot } from './uplot-host';

const HEIGHT = 280;
const LOOK: Record<ForecastSeries['series'][number]['key'], uPlot.Series> = {
  // A neutral grey for the truth, blue for the model: told apart in both themes.
  actual: { label: 'actual', stroke: '#8b94a3', width: 2 },
  predicted: { label: 'forecast', stroke: '#4c9aff', width: 1.5 },
  seasonal_naive: { label: 'seasonal naive', stroke: '#f5a524', width: 1, dash: [5, 4] },
};

export function ForecastTimeChart({ artifact, target }: { artifact: Artifact; target: string | null }) {
  const [data, setData] = useState<ForecastSeries | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api()
      .runs.artifactContent({ id: artifact.id })
      .then((c) => live && setData(parsePredictionsCsv(new TextDecoder().decode(base64ToBytes(c.base64)))))
      .catch((err: unknown) => live && setError(`The test predictions (${artifact.path}) could not be read: ${errorMessage(err)}`));
    return () => {
      live = false;
    };
  }, [artifact.id, artifact.path]);
  if (error) return <p className="field-error" data-testid="forecast-time-error">{error}</p>;
  if (!data) return <p className="muted">Loading the test predictions…</p>;
  return <Chart data={data} target={target} />;
}

function Chart({ data, target }: { data: ForecastSeries; target: string | null }) {
  const keys = data.series.map((s) => s.key).join(',');
  const hostRef = useUplot(
    () => ({
      scales: { x: { time: data.time } },
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      series: [{ label: data.time ? 'time' : 'row' }, ...data.series.map((s) => ({ ...LOOK[s.key], spanGaps: false, points: { show: false } }))],
      axes: [
        data.time ? { ...AXIS_STYLE } : { ...AXIS_STYLE, label: 'row', labelSize: 16, labelFont: AXIS_LABEL_FONT },
        { ...AXIS_STYLE, size: 60, label: target ?? undefined, labelSize: target ? 16 : undefined, labelFont: AXIS_LABEL_FONT, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => fmtNum(t)) },
      ],
    }),
    [data.x, ...data.series.map((s) => s.values)] as uPlot.AlignedData,
    { height: HEIGHT },
    [data.time, keys, target],
  );
  return (
    <div className="chart forecast-time-chart" data-testid="forecast-time-chart" data-points={data.x.length} data-series={keys} data-time={data.time}>
      <div className="chart-title">{target ? `${target}: ` : ''}actual against forecast on the test split</div>
      <div ref={hostRef} className="chart-host" />
    </div>
  );
}
