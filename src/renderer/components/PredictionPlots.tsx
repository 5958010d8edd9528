/**
 * How a forecaster did on the test split: predicted against actual (with the y = x line a perfect
 * model would sit on) and the residuals (actual − predicted) in test order, where drift or
 * structure the model missed shows as a trend rather than noise around zero. Drawn with uPlot.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import { fmtNum } from '../lib/format';
import { residualData, scatterData, type PredictionRow } from './chart-data';
import { AXIS_LABEL_FONT, AXIS_STYLE, useUplot, type PlotOptions } from './uplot-host';

export type { PredictionRow };

const HEIGHT = 240;
const AXIS: uPlot.Axis = { ...AXIS_STYLE, values: (_u, ticks) => ticks.map((t) => fmtNum(t)) };
const noPath: uPlot.Series.PathBuilder = () => null;

/** A labelled axis of these plots. */
function labelledAxis(label: string, extra: uPlot.Axis = {}): uPlot.Axis {
  return { ...AXIS, ...extra, label, labelSize: 16, labelFont: AXIS_LABEL_FONT };
}

/** A plot of test results: both axes labelled, the x label naming the first series, a fixed legend. */
export function resultPlotOptions(xLabel: string, yLabel: string, series: uPlot.Series[]): PlotOptions {
  return {
    scales: { x: { time: false } },
    legend: { show: true, live: false },
    series: [{ label: xLabel }, ...series],
    axes: [labelledAxis(xLabel), labelledAxis(yLabel, { size: 60 })],
  };
}

/** A series drawn as dots only. */
export function dots(label: string, color: string, size: number): uPlot.Series {
  return { label, stroke: color, paths: noPath, points: { show: true, size, fill: color } };
}

/** A thin dashed reference line: y = x, zero, a threshold. */
export function guide(label: string, color: string, dash: number[]): uPlot.Series {
  return { label, stroke: color, width: 1, dash, points: { show: false } };
}

const SCATTER_OPTIONS = resultPlotOptions('actual', 'predicted', [dots('predicted', '#4c9aff', 5), guide('y = x', 'rgba(255,255,255,0.35)', [4, 4])]);
const RESIDUAL_OPTIONS = resultPlotOptions('test row', 'residual', [dots('actual − predicted', '#f5a524', 4), guide('zero', 'rgba(255,255,255,0.35)', [4, 4])]);

/** A fixed plot of test results: rebuilt whole when its data or options change. */
export function Plot({ data, opts, testId }: { data: uPlot.AlignedData; opts: PlotOptions; testId: string }) {
  const hostRef = useUplot(() => opts, data, { height: HEIGHT }, [data, opts]);
  return (
    <div className="chart" data-testid={testId} data-points={data[0].length}>
      <div ref={hostRef} className="chart-host" />
    </div>
  );
}

export function PredictionPlots({ rows }: { rows: PredictionRow[] }) {
  const scatter = useMemo(() => scatterData(rows), [rows]);
  const residuals = useMemo(() => residualData(rows), [rows]);
  return (
    <div className="prediction-plots">
      <Plot data={scatter} opts={SCATTER_OPTIONS} testId="prediction-scatter" />
      <Plot data={residuals} opts={RESIDUAL_OPTIONS} testId="residual-plot" />
    </div>
  );
}
