/**
 * How an anomaly detector scored the test rows: each row's score, the threshold above which a row
 * is flagged, and the rows labelled anomalous (when the dataset has labels) marked on the score line,
 * so a missed anomaly shows as a marker under the threshold. Drawn with uPlot.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { AXIS, Plot, noPath } from './PredictionPlots';

export function AnomalyScorePlot({ data }: { data: [number[], number[], number[], (number | null)[]] }) {
  const opts = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false } },
      legend: { show: true, live: false },
      series: [
        { label: 'row' },
        { label: 'score', stroke: '#4c9aff', width: 1 },
        { label: 'threshold', stroke: '#f25f5c', width: 1, dash: [6, 4], points: { show: false } },
        { label: 'labelled anomaly', stroke: '#f5a524', paths: noPath, points: { show: true, size: 7, fill: '#f5a524' } },
      ],
      axes: [
        { ...AXIS, label: 'row', labelSize: 16, labelFont: '11px system-ui, sans-serif' },
        { ...AXIS, size: 60, label: 'anomaly score', labelSize: 16, labelFont: '11px system-ui, sans-serif' },
      ],
    }),
    [],
  );
  return <Plot data={data as uPlot.AlignedData} opts={opts} testId="anomaly-score-plot" />;
}
