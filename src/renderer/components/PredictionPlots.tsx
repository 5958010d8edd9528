/**
 * How a forecaster did on the test split: predicted against actual (with the y = x line a perfect
 * model would sit on) and the residuals (actual − predicted) in test order, where drift or
 * structure the model missed shows as a trend rather than noise around zero. Drawn with uPlot.
 */
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { fmtNum } from '../lib/format';
import { residualData, scatterData, type PredictionRow } from './chart-data';

export type { PredictionRow };

const HEIGHT = 240;
export const AXIS: uPlot.Axis = {
  stroke: '#8b94a3',
  grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.12)', width: 1 },
  font: '11px system-ui, sans-serif',
  values: (_u, ticks) => ticks.map((t) => fmtNum(t)),
};
export const noPath: uPlot.Series.PathBuilder = () => null;

export function Plot({ data, opts, testId }: { data: uPlot.AlignedData; opts: Omit<uPlot.Options, 'width' | 'height'>; testId: string }) {
  const hostRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const plot = new uPlot({ ...opts, width: Math.max(200, host.clientWidth), height: HEIGHT }, data, host);
    const observer = new ResizeObserver(() => {
      const width = Math.max(200, host.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [data, opts]);
  return (
    <div className="chart" data-testid={testId} data-points={data[0].length}>
      <div ref={hostRef} className="chart-host" />
    </div>
  );
}

export function PredictionPlots({ rows }: { rows: PredictionRow[] }) {
  const scatter = useMemo(() => scatterData(rows), [rows]);
  const residuals = useMemo(() => residualData(rows), [rows]);
  const scatterOpts = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false } },
      legend: { show: true, live: false },
      series: [
        { label: 'actual' },
        { label: 'predicted', stroke: '#4c9aff', paths: noPath, points: { show: true, size: 5, fill: '#4c9aff' } },
        { label: 'y = x', stroke: 'rgba(255,255,255,0.35)', width: 1, dash: [4, 4], points: { show: false } },
      ],
      axes: [
        { ...AXIS, label: 'actual', labelSize: 16, labelFont: '11px system-ui, sans-serif' },
        { ...AXIS, size: 60, label: 'predicted', labelSize: 16, labelFont: '11px system-ui, sans-serif' },
      ],
    }),
    [],
  );
  const residualOpts = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(
    () => ({
      scales: { x: { time: false } },
      legend: { show: true, live: false },
      series: [
        { label: 'test row' },
        { label: 'actual − predicted', stroke: '#f5a524', paths: noPath, points: { show: true, size: 4, fill: '#f5a524' } },
        { label: 'zero', stroke: 'rgba(255,255,255,0.35)', width: 1, dash: [4, 4], points: { show: false } },
      ],
      axes: [
        { ...AXIS, label: 'test row', labelSize: 16, labelFont: '11px system-ui, sans-serif' },
        { ...AXIS, size: 60, label: 'residual', labelSize: 16, labelFont: '11px system-ui, sans-serif' },
      ],
    }),
    [],
  );
  return (
    <div className="prediction-plots">
      <Plot data={scatter} opts={scatterOpts} testId="prediction-scatter" />
      <Plot data={residuals} opts={residualOpts} testId="residual-plot" />
    </div>
  );
}
