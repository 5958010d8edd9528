/**
 * Params against a metric: one vertical axis per param that varies across the runs, the chosen
 * metric on the right, each run a line through its values in the run's colour. A handful of runs,
 * so SVG (hover and titles for free) rather than a canvas.
 */
import { useState } from 'react';
import { fmtMetric, fmtNum } from '../lib/format';
import { axisPosition, parallelAxes, type PcAxis, type PcRun } from './parallel-data';

export interface ParallelRun extends PcRun {
  label: string;
  color: string;
}

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
  const { params, metric } = parallelAxes(runs, metricKey);
  const axes = [...params, metric];
  const width = SIDE * 2 + Math.max(1, axes.length - 1) * AXIS_GAP;
  const plotH = HEIGHT - TOP - BOTTOM;
  const xAt = (i: number) => SIDE + i * AXIS_GAP;
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
    <div className="parallel-wrap">
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
            {tickLabels(axis).map((t) => (
              <text key={`${t.pos}-${t.text}`} className="pc-tick" x={xAt(i) + 6} y={yAt(t.pos) + 4}>
                {t.text}
              </text>
            ))}
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
      </svg>
    </div>
  );
}
