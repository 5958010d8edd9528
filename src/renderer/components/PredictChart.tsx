/**
 * A predict result drawn with uPlot: forecast models show actual against fitted and the forecast
 * past the end; anomaly models show the value with the flagged rows as points.
 *
 * Test ids: `predict-chart` (data-task, data-points, data-marked).
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { PredictResult } from '../../shared/contract';
import { fmtNum } from '../lib/format';
import { predictChart } from './model-data';
import { AXIS_LABEL_FONT, AXIS_STYLE, useUplot } from './uplot-host';

const COLORS = { actual: '#8fa3bf', fitted: '#4c9aff', forecast: '#f5a524', value: '#4c9aff', flagged: '#ef5b5b' } as const;

export function PredictChart({ result, height = 260 }: { result: PredictResult; height?: number }) {
  const chart = useMemo(() => predictChart(result), [result]);
  // The anomaly score is on its own scale; the chart shows value and flags, the table the score.
  const drawn = result.task === 'forecast' ? chart.data : (chart.data.slice(0, 3) as typeof chart.data);
  const labels = result.task === 'forecast' ? chart.labels : chart.labels.slice(0, 2);
  const hostRef = useUplot(
    () => ({
      scales: { x: { time: chart.time } },
      legend: { show: true },
      cursor: { drag: { x: true, y: false } },
      series: [
        { label: chart.time ? 'time' : 'row' },
        ...labels.map((l) => {
          const color = COLORS[l as keyof typeof COLORS] ?? '#c9d14a';
          return l === 'flagged'
            ? { label: l, stroke: color, width: 0, points: { show: true, size: 7, fill: color, stroke: color } }
            : { label: l, stroke: color, width: l === 'actual' ? 1.25 : 1.75, spanGaps: false, points: { show: false } };
        }),
      ],
      axes: [
        chart.time ? { ...AXIS_STYLE } : { ...AXIS_STYLE, label: 'row', labelSize: 16, labelFont: AXIS_LABEL_FONT },
        { ...AXIS_STYLE, size: 60, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => fmtNum(t)) },
      ],
    }),
    drawn as uPlot.AlignedData,
    { height },
    [result.task, chart.time, labels.join(',')],
  );
  return (
    <div className="chart predict-chart" data-testid="predict-chart" data-task={result.task} data-points={chart.data[0].length} data-marked={chart.marked}>
      <div className="chart-title">
        {result.task === 'forecast' ? `Forecast against actual · ${chart.marked} steps past the end` : `Values · ${chart.marked} flagged`}
      </div>
      <div ref={hostRef} className="chart-host" />
    </div>
  );
}
