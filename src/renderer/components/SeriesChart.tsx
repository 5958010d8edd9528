/**
 * Metric lines over step or time, drawn with uPlot (made for long series: a canvas, no DOM per
 * point). One line per series with its own colour, a legend that names each and shows its value
 * under the cursor (or its latest), a log scale and EMA smoothing. The points arrive downsampled by
 * the core, so a chart never holds more than about a thousand per line.
 *
 * The plot is rebuilt only when what it draws changes shape (series, axis, scale); new points are
 * fed with setData, so a live run redraws without a rebuild.
 */
import { useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import { fmtDuration, fmtNum } from '../lib/format';
import { chartData, lastValue, type LineSeries, type XMode } from './chart-data';
import { AXIS_LABEL_FONT, AXIS_STYLE, WHOLE_SECOND_INCREMENTS, WHOLE_STEP_INCREMENTS, useUplot } from './uplot-host';

export interface SeriesChartProps {
  lines: LineSeries[];
  xMode: XMode;
  log?: boolean;
  /** EMA weight, 0 (raw) to 0.99. */
  smoothing?: number;
  height?: number;
  title?: string;
  testId?: string;
  emptyText?: string;
  /**
   * Called with the window of steps a person selects by dragging across the plot (x in steps), so
   * the caller can ask the core for that window in finer detail.
   */
  onZoom?: (window: { from: number; to: number }) => void;
}

const X_LABEL: Record<XMode, string> = { step: 'step', relative: 'time since start', time: 'wall time' };

export function SeriesChart({ lines, xMode, log = false, smoothing = 0, height = 220, title, testId = 'series-chart', emptyText, onZoom }: SeriesChartProps) {
  const [hoverIdx, setHoverIdx] = useState<number | null>(null);
  const data = useMemo(() => chartData(lines, { xMode, smoothing, log }), [lines, xMode, smoothing, log]);
  // Read by the plot's hook, which is built once per shape.
  const latestZoom = useRef(onZoom);
  latestZoom.current = onZoom;
  const drawn = lines.filter((l, i) => data[i + 1].some((v) => v !== null)).length;
  // The plot's shape: rebuilt when any of this changes, fed new data otherwise.
  const shape = `${xMode}|${log}|${height}|${lines.map((l) => `${l.id}:${l.color}`).join(',')}`;
  const hostRef = useUplot(
    () => ({
      scales: {
        x: { time: xMode === 'time' },
        y: log ? { distr: 3, log: 10 } : {},
      },
      cursor: { drag: { x: true, y: false } },
      legend: { show: false },
      series: [
        {},
        ...lines.map((l) => ({ label: l.label, stroke: l.color, width: 1.75, spanGaps: true, points: { size: 4 } })),
      ],
      axes: [
        {
          ...AXIS_STYLE,
          label: X_LABEL[xMode],
          labelSize: 16,
          labelFont: AXIS_LABEL_FONT,
          ...(xMode === 'relative' ? { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => fmtDuration(t * 1000)) } : {}),
          ...(xMode === 'step' ? { incrs: WHOLE_STEP_INCREMENTS, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => String(t)) } : {}),
          ...(xMode === 'time' ? { incrs: WHOLE_SECOND_INCREMENTS } : {}),
        },
        { ...AXIS_STYLE, size: 60, values: (_u, ticks) => ticks.map((t) => fmtNum(t)) },
      ],
      hooks: {
        setCursor: [(u) => setHoverIdx(u.cursor.idx ?? null)],
        // A drag selection (and only that: not a redraw with new data) asks for the window.
        setSelect: [
          (u) => {
            if (!latestZoom.current || u.select.width < 2) return;
            const from = Math.floor(u.posToVal(u.select.left, 'x'));
            const to = Math.ceil(u.posToVal(u.select.left + u.select.width, 'x'));
            if (to > from) latestZoom.current({ from, to });
          },
        ],
      },
    }),
    data as uPlot.AlignedData,
    { height },
    // `shape` stands for xMode, log and the series' ids and colours.
    [shape],
  );

  const xAtHover = hoverIdx !== null ? data[0][hoverIdx] : null;
  return (
    <div
      className="chart series-chart"
      data-testid={testId}
      data-series={drawn}
      data-points={data[0].length}
      data-x-min={data[0].length ? data[0][0] : undefined}
      data-x-max={data[0].length ? data[0][data[0].length - 1] : undefined}
    >
      {title && <div className="chart-title">{title}</div>}
      <div ref={hostRef} className="chart-host" />
      {drawn === 0 && <div className="chart-empty">{emptyText ?? 'No points to draw.'}</div>}
      <ul className="chart-legend" data-testid={`${testId}-legend`}>
        {xAtHover !== null && xAtHover !== undefined && (
          <li className="chart-legend-x muted">{xMode === 'step' ? `step ${xAtHover}` : xMode === 'relative' ? fmtDuration(xAtHover * 1000) : new Date(xAtHover * 1000).toLocaleTimeString()}</li>
        )}
        {lines.map((l, i) => {
          const col = data[i + 1];
          const v = hoverIdx !== null ? col[hoverIdx] : lastValue(col);
          return (
            <li key={l.id} className="chart-legend-item" data-testid="chart-legend-item" data-series-id={l.id} title={l.label}>
              <span className="swatch" style={{ background: l.color }} aria-hidden="true" />
              <span className="chart-legend-label">{l.label}</span>
              <span className="num">{fmtNum(v)}</span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
