/**
 * A SeriesChart that zooms into detail: dragging across it (x in steps) asks the core for that
 * window of steps, which comes back with up to a chart's worth of points from the window alone,
 * not the few the whole series' view had there. "Whole series" goes back to the view it had.
 * Over time axes the drag zooms the plot as it is, without a new read.
 */
import { useEffect, useRef, useState } from 'react';
import { errorMessage } from '../lib/errors';
import type { LineSeries } from './chart-data';
import { SeriesChart, type SeriesChartProps } from './SeriesChart';

export interface StepWindow {
  from: number;
  to: number;
}

export interface ZoomableSeriesChartProps extends Omit<SeriesChartProps, 'onZoom'> {
  /** The lines of a window of steps, read again from the core. */
  loadWindow: (window: StepWindow) => Promise<LineSeries[]>;
}

export function ZoomableSeriesChart({ loadWindow, lines, testId = 'series-chart', ...chart }: ZoomableSeriesChartProps) {
  const [zoom, setZoom] = useState<{ window: StepWindow; lines: LineSeries[] | null; error: string | null } | null>(null);
  // A later zoom wins over an earlier one still being read.
  const asked = useRef(0);
  const stepAxis = chart.xMode === 'step';

  useEffect(() => {
    if (!stepAxis) setZoom(null);
  }, [stepAxis]);

  const zoomTo = (window: StepWindow) => {
    const ask = ++asked.current;
    setZoom({ window, lines: null, error: null });
    loadWindow(window).then(
      (got) => ask === asked.current && setZoom({ window, lines: got, error: null }),
      (err: unknown) => ask === asked.current && setZoom({ window, lines: null, error: errorMessage(err) }),
    );
  };
  const reset = () => {
    asked.current++;
    setZoom(null);
  };

  return (
    <div className="zoomable-chart" data-testid={`${testId}-zoom`} data-zoom={zoom ? `${zoom.window.from}-${zoom.window.to}` : ''} data-zoom-loaded={zoom?.lines ? 'true' : 'false'}>
      <SeriesChart {...chart} testId={testId} lines={zoom?.lines ?? lines} onZoom={stepAxis ? zoomTo : undefined} />
      {zoom && (
        <div className="chart-zoom-bar">
          <span className="muted">
            steps {zoom.window.from}–{zoom.window.to}
            {!zoom.lines && !zoom.error && ' · loading…'}
          </span>
          {zoom.error && <span className="error-banner-text" role="alert">{zoom.error}</span>}
          <button type="button" className="button button-small" onClick={reset} data-testid={`${testId}-reset-zoom`}>
            Whole series
          </button>
        </div>
      )}
    </div>
  );
}
