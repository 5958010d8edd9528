/**
 * How an anomaly detector scored the test rows: each row's score, the threshold above which a row
 * is flagged, and the rows labelled anomalous (when the dataset has labels) marked on the score line,
 * so a missed anomaly shows as a marker under the threshold. Drawn with uPlot.
 */
import type uPlot from 'uplot';
import { Plot, dots, guide, resultPlotOptions } from './PredictionPlots';

const OPTIONS = resultPlotOptions('row', 'anomaly score', [
  { label: 'score', stroke: '#4c9aff', width: 1 },
  guide('threshold', '#f25f5c', [6, 4]),
  dots('labelled anomaly', '#f5a524', 7),
]);

export function AnomalyScorePlot({ data }: { data: [number[], number[], number[], (number | null)[]] }) {
  return <Plot data={data as uPlot.AlignedData} opts={OPTIONS} testId="anomaly-score-plot" />;
}
