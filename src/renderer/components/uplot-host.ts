/**
 * What every uPlot chart here does with its host element, in one hook: build the plot at the
 * host's width, follow the host's width as the layout changes, feed new data with setData (a live
 * run or study redraws without a rebuild), and destroy the plot when it unmounts or changes shape.
 */
import { useEffect, useRef, type DependencyList, type RefObject } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useTheme } from '../stores/theme';
import { themedOptions } from './chart-theme';

/** The look of every axis: muted strokes and ticks that read on the dark background. */
/**
 * Tick steps on a wall-time axis, in seconds: whole seconds at the least (samples come every second
 * or two; uPlot would otherwise label a short history ":20.500"), then minutes, hours and days.
 */
export const WHOLE_SECOND_INCREMENTS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];
/** Tick steps on a step or epoch axis: whole steps only (uPlot would otherwise offer 0.5, 2.5...). */
export const WHOLE_STEP_INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 25_000, 50_000, 100_000, 200_000, 250_000, 500_000, 1_000_000, 2_000_000, 5_000_000];

export const AXIS_STYLE: uPlot.Axis = {
  stroke: '#8b94a3',
  grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 },
  ticks: { stroke: 'rgba(255,255,255,0.12)', width: 1 },
  font: '11px system-ui, sans-serif',
};

export const AXIS_LABEL_FONT = '11px system-ui, sans-serif';

/** A plot's options less its size, which the host decides. */
export type PlotOptions = Omit<uPlot.Options, 'width' | 'height'>;

/**
 * Mounts a uPlot in the returned ref's element. `build` is called only when the plot is (re)built,
 * with the latest props in reach, so it need not be memoised; the plot is rebuilt when `height`,
 * `minWidth` or anything in `rebuildOn` changes (keep that list the same length on every render).
 */
export function useUplot(
  build: () => PlotOptions,
  data: uPlot.AlignedData,
  { height, minWidth = 200 }: { height: number; minWidth?: number },
  rebuildOn: DependencyList,
): RefObject<HTMLDivElement | null> {
  const hostRef = useRef<HTMLDivElement>(null);
  // A theme change rebuilds the plot in the new theme's colours.
  const theme = useTheme((s) => s.theme);
  const plotRef = useRef<uPlot | null>(null);
  const latest = useRef({ build, data });
  latest.current = { build, data };
  // The data the plot holds: a rebuild already draws the latest, so it need not be fed again.
  const fed = useRef<uPlot.AlignedData | null>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const plot = new uPlot({ ...themedOptions(latest.current.build(), theme), width: Math.max(minWidth, host.clientWidth), height }, latest.current.data, host);
    plotRef.current = plot;
    fed.current = latest.current.data;
    const observer = new ResizeObserver(() => {
      const width = Math.max(minWidth, host.clientWidth);
      if (width !== plot.width) plot.setSize({ width, height });
    });
    observer.observe(host);
    return () => {
      observer.disconnect();
      plot.destroy();
      plotRef.current = null;
      fed.current = null;
    };
    // `rebuildOn` is the caller's list of what changes the plot's shape.
  }, [height, minWidth, theme, ...rebuildOn]);

  useEffect(() => {
    if (!plotRef.current || fed.current === data) return;
    plotRef.current.setData(data);
    fed.current = data;
  }, [data]);

  return hostRef;
}
