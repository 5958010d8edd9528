/**
 * Params against a metric: one vertical axis per param that varies across the runs, the chosen
 * metric on the right, each run a line through its values in the run's colour. A handful of runs,
 * so SVG (hover and titles for free) rather than a canvas.
 */
import { useEffect, useRef, useState } from 'react';
import { fmtMetric, fmtNum } from '../lib/format';
import { axisPosition, parallelAxes, type PcAxis, type PcRun } from './parallel-data';

export interface ParallelRun extends PcRun {
  label: string;
  color: string;
}

/** The least room between two axes; wider panels spread the axes over their width. */
const AXIS_GAP = 150;
const HEIGHT = 300;
const TOP = 40;
const BOTTOM = 36;
const SIDE = 70;

function tickLabels(axis: PcAxis): { pos: number; text: string }[] {
  if (axis.kind === 'category') {
    return axis.categories.map((c) => ({ pos: axisPosition(axis, c) ?? 0.5, text: c }));
  }
  if (axis.max === axis.min) return [{ pos: 0.5, text: fmtNum(axis.min) }];
  return [0, 0.5, 1].map((f) => ({ pos: f, text: fmtNum(axis.min + f * (axis.max - axis.min)) }));
}

export function ParallelCoordinates({ runs, metricKey }: { runs: ParallelRun[]; metricKey: string }) {
  const [hover, setHover] = useState<string | null>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [available, setAvailable] = useState(0);
  const { params, metric } = parallelAxes(runs, metricKey);
  const drawn = params.length > 0;
  useEffect(() => {
    const wrap = wrapRef.current;
    if (!wrap) return;
    // The padding is inside clientWidth: what the chart may take is a little less.
    const observer = new ResizeObserver(() => setAvailable(Math.floor(wrap.clientWidth) - 14));
    observer.observe(wrap);
    return () => observer.disconnect();
  }, [drawn]);
  const axes = [...params, metric];
  const spans = Math.max(1, axes.length - 1);
  // The panel's width, shared between the axes; scrolled sideways only when even the least gap does not fit.
  const gap = Math.max(AXIS_GAP, (available - SIDE * 2) / spans);
  const width = SIDE * 2 + spans * gap;
  const plotH = HEIGHT - TOP - BOTTOM;
  const xAt = (i: number) => SIDE + i * gap;
  const yAt = (pos: number) => TOP + (1 - pos) * plotH;

  /** A run's line, broken where it has no value on an axis. */
  function segments(run: ParallelRun): string[] {
    const out: string[] = [];
    let cur: string[] = [];
    axes.forEach((axis, i) => {
      const value = i === axes.length - 1 ? run.metric : run.params[axis.key];
      const pos = axisPosition(axis, value);
      if (pos === null) {
        if (cur.length > 1) out.push(cur.join(' '));
        cur = [];
      } else cur.push(`${xAt(i)},${yAt(pos).toFixed(1)}`);
    });
    if (cur.length > 1) out.push(cur.join(' '));
    return out;
  }

  if (params.length === 0) {
    return <p className="muted" data-testid="parallel-coords">These runs have no params to compare.</p>;
  }

  return (
    <div className="parallel-wrap" ref={wrapRef}>
      <svg
        className="parallel"
        viewBox={`0 0 ${width} ${HEIGHT}`}
        width={width}
        height={HEIGHT}
        role="img"
        aria-label={`Parallel coordinates of params against ${metricKey}`}
        data-testid="parallel-coords"
        data-axes={axes.length}
      >
        {axes.map((axis, i) => (
          <g key={axis.key} className={i === axes.length - 1 ? 'pc-axis pc-metric' : 'pc-axis'}>
            <line x1={xAt(i)} x2={xAt(i)} y1={TOP} y2={TOP + plotH} />
            <text className="pc-name" x={xAt(i)} y={TOP - 16} textAnchor="middle">
              {axis.key}
            </text>
          </g>
        ))}
        {runs.map((run) =>
          segments(run).map((pts, k) => (
            <polyline
              key={`${run.id}-${k}`}
              className={`pc-line${hover && hover !== run.id ? ' dim' : ''}`}
              points={pts}
              stroke={run.color}
              data-run-id={run.id}
              onMouseEnter={() => setHover(run.id)}
              onMouseLeave={() => setHover(null)}
            >
              <title>{`${run.label}: ${metricKey} = ${fmtMetric(metricKey, run.metric)}`}</title>
            </polyline>
          )),
        )}
        {/* Tick labels last, over the lines, each on a halo of the panel's colour so a line never hides it. */}
        {axes.map((axis, i) => (
          <g key={`ticks-${axis.key}`} className="pc-ticks">
            {tickLabels(axis).map((t) => (
              <text key={`${t.pos}-${t.text}`} className="pc-tick" x={xAt(i) + 6} y={yAt(t.pos) + 4}>
                {t.text}
              </text>
            ))}
          </g>
        ))}
      </svg>
    </div>
  );
}
