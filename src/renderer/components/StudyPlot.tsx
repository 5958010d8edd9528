/**
 * One uPlot chart for the study page: history, learning curves and slices all go through it. The
 * plot is rebuilt only when its shape changes (the series, the scales, the size); new trials are
 * fed with setData, so a live study redraws without a rebuild. A canvas, no DOM per point: 5,000
 * trials are 5,000 dots drawn in one pass.
 */
import { useRef } from 'react';
import uPlot from 'uplot';
import { fmtNum } from '../lib/format';
import { AXIS_LABEL_FONT, AXIS_STYLE, useUplot } from './uplot-host';

export interface PlotSeries {
  label: string;
  color: string;
  /** Dots only (a scatter), or a line. */
  points?: boolean;
  /** Dot diameter in pixels (5 unless given). */
  pointSize?: number;
  width?: number;
  dash?: number[];
  /** Steps rather than straight segments (a best-so-far line). */
  stepped?: boolean;
}

export interface StudyPlotProps {
  data: (number | null)[][];
  series: PlotSeries[];
  /** Changes whenever `series` or the axes change shape; the plot is rebuilt then. */
  shape: string;
  xLabel: string;
  yLabel?: string;
  xValues?: (x: number) => string;
  /** Fixed x range (categories: -0.5 to n - 0.5); else fitted to the data. */
  xRange?: [number, number];
  /** The least room left either side of the x data (half a trial, so the first and last dots are whole). */
  xPadMin?: number;
  /** The x axis counts things (trials, epochs): ticks on whole numbers only. */
  xIntegers?: boolean;
  yLog?: boolean;
  height?: number;
  testId: string;
  /** Extra data attributes for tests: counts of what is drawn. */
  attrs?: Record<string, string | number>;
  title?: string;
  emptyText?: string;
  empty?: boolean;
}

const AXIS: uPlot.Axis = { ...AXIS_STYLE, labelFont: AXIS_LABEL_FONT };

/** A scale's range with some room either side, so dots at the extremes are not cut in half. */
export function padRange(min: number | null, max: number | null, minPad: number, fraction: number): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  const span = max - min;
  const pad = Math.max(minPad, span * fraction) || Math.abs(min) * 0.1 || 1;
  return [min - pad, max + pad];
}

/** 0.01, 0.1, 1, 10...: the ticks a log axis labels. */
function isDecade(t: number): boolean {
  if (!(t > 0)) return false;
  const e = Math.log10(t);
  return Math.abs(e - Math.round(e)) < 1e-9;
}

/** Tick steps for an axis that counts: 1, 2, 5, 10, 20, 50... */
const INTEGER_INCRS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000];

export function StudyPlot({
  data,
  series,
  shape,
  xLabel,
  yLabel,
  xValues,
  xRange,
  xIntegers = false,
  xPadMin = 0,
  yLog = false,
  height = 220,
  testId,
  attrs,
  title,
  emptyText,
  empty = false,
}: StudyPlotProps) {
  // The ranges read these through a ref: a live plot's ranges follow its data without a rebuild.
  const latest = useRef({ xRange, xPadMin });
  latest.current = { xRange, xPadMin };

  const hostRef = useUplot(
    () => ({
      legend: { show: false },
      cursor: { drag: { x: true, y: false }, points: { show: false } },
      scales: {
        x: { time: false, range: (_u, min, max) => latest.current.xRange ?? padRange(min, max, latest.current.xPadMin, 0.03) },
        // Room above and below the extreme values (a tenth of the span), so the top and bottom dots are whole.
        y: yLog ? { distr: 3, log: 10 } : { range: (_u, min, max) => padRange(min, max, 0, 0.1) },
      },
      series: [
        {},
        ...series.map((s): uPlot.Series => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 1.5,
          dash: s.dash,
          spanGaps: !s.points,
          ...(s.points
            ? { paths: () => null, points: { show: true, size: s.pointSize ?? 5, fill: s.color, stroke: s.color, width: 0 } }
            : { points: { show: false }, ...(s.stepped ? { paths: uPlot.paths.stepped!({ align: 1 }) } : {}) }),
        })),
      ],
      axes: [
        {
          ...AXIS,
          label: xLabel,
          labelSize: 16,
          ...(xIntegers ? { incrs: INTEGER_INCRS } : {}),
          ...(xValues ? { values: (_u: uPlot, ticks: number[]) => ticks.map(xValues) } : {}),
        },
        {
          ...AXIS,
          label: yLabel,
          labelSize: yLabel ? 16 : 0,
          size: 60,
          // A log axis labels its decades only: uPlot's ticks at 2×, 3×... 9× are unlabelled and unmarked.
          values: (_u, ticks) => ticks.map((t) => (!yLog || isDecade(t) ? fmtNum(t) : '')),
          ...(yLog ? { filter: (_u: uPlot, ticks: number[]) => ticks.map((t) => (isDecade(t) ? t : null)) } : {}),
        },
      ],
    }),
    data as uPlot.AlignedData,
    { height, minWidth: 160 },
    // `shape` stands for the series, the labels and the scales.
    [shape, yLog, xLabel, yLabel, xIntegers],
  );

  const dataAttrs = Object.fromEntries(Object.entries(attrs ?? {}).map(([k, v]) => [`data-${k}`, v]));
  return (
    <div className="chart study-plot" data-testid={testId} role="img" aria-label={title ?? testId} {...dataAttrs}>
      {title && <div className="chart-title">{title}</div>}
      <div ref={hostRef} className="chart-host" />
      {empty && <div className="chart-empty">{emptyText ?? 'Nothing to draw yet.'}</div>}
    </div>
  );
}
