/**
 * The objective over any two parameters the user picks: a binned and interpolated map (better is
 * brighter, whichever the direction) with the completed trials as dots on it. Drawn on a canvas:
 * the grid is a fixed 32 x 32 whatever the number of trials, and the dots are one path.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Direction, SearchSpace, StudyTrial } from '../../shared/contract';
import { fmtNum } from '../lib/format';
import { LabelledSelect } from './LabelledSelect';
import { CONTOUR_MIN_POINTS, contourMask } from './contour-mask';
import { axisFraction, axisLabel, contourGrid, goodness, rgb, viridis, type ParamAxis } from './study-data';

const HEIGHT = 320;
// Room on the left for the tick labels and, left of them, the rotated axis title.
const PAD = { left: 88, right: 16, top: 12, bottom: 40 };

export function StudyContour({
  trials,
  space,
  params,
  direction,
  metric,
}: {
  trials: StudyTrial[];
  space: SearchSpace;
  params: string[];
  direction: Direction;
  metric: string;
}) {
  const [px, setPx] = useState(params[0] ?? '');
  const [py, setPy] = useState(params[1] ?? params[0] ?? '');
  // Keep the choices valid when the parameters arrive or change.
  useEffect(() => {
    if (!params.includes(px)) setPx(params[0] ?? '');
    if (!params.includes(py)) setPy(params[1] ?? params[0] ?? '');
  }, [params, px, py]);
  const grid = useMemo(() => (px && py && px !== py ? contourGrid(trials, px, py, space) : null), [trials, px, py, space]);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const hostRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(600);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return;
    const observer = new ResizeObserver(() => setWidth(Math.max(240, Math.floor(host.clientWidth))));
    observer.observe(host);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(HEIGHT * dpr);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    if (!grid) return;
    const plotW = width - PAD.left - PAD.right;
    const plotH = HEIGHT - PAD.top - PAD.bottom;
    // Everything is placed by its fraction across each axis: cell (cx, cy) covers [cx/size, (cx+1)/size].
    const toX = (v: number) => PAD.left + axisFraction(grid.x, v) * plotW;
    const toY = (v: number) => PAD.top + (1 - axisFraction(grid.y, v)) * plotH;
    const cellW = plotW / grid.size;
    const cellH = plotH / grid.size;
    // Painted only near sampled points, and only once there are enough of them to interpolate between.
    const enough = grid.points.length >= CONTOUR_MIN_POINTS;
    const mask = contourMask(
      grid.points.map((p) => ({ fx: axisFraction(grid.x, p.x), fy: axisFraction(grid.y, p.y) })),
      grid.size,
    );
    ctx.strokeStyle = 'rgba(139,148,163,0.35)';
    ctx.strokeRect(PAD.left + 0.5, PAD.top + 0.5, plotW - 1, plotH - 1);
    for (let cy = 0; cy < grid.size; cy++) {
      for (let cx = 0; cx < grid.size; cx++) {
        if (!enough || !mask[cy * grid.size + cx]) continue;
        const v = grid.values[cy * grid.size + cx];
        ctx.fillStyle = rgb(viridis(goodness(v, grid.lo, grid.hi, direction)));
        ctx.fillRect(PAD.left + cx * cellW, PAD.top + plotH - (cy + 1) * cellH, cellW + 0.5, cellH + 0.5);
      }
    }
    // The trials as dots, outlined so they read on any colour.
    ctx.lineWidth = grid.points.length > 2000 ? 0.5 : 1;
    ctx.strokeStyle = 'rgba(0,0,0,0.7)';
    ctx.fillStyle = 'rgba(255,255,255,0.9)';
    // Thousands of trials would hide the map under their dots: the more there are, the smaller.
    const r = grid.points.length > 2000 ? 1.25 : grid.points.length > 300 ? 2 : 3;
    ctx.beginPath();
    for (const p of grid.points) {
      const x = toX(p.x);
      const y = toY(p.y);
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, Math.PI * 2);
    }
    ctx.fill();
    ctx.stroke();
    // Axes: ticks in the parameters' own units.
    ctx.fillStyle = '#8b94a3';
    ctx.font = '11px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (const t of ticks(grid.x)) ctx.fillText(axisLabel(grid.x, t), toX(t), HEIGHT - PAD.bottom + 14);
    ctx.fillText(grid.x.log ? `${grid.x.param} (log)` : grid.x.param, PAD.left + plotW / 2, HEIGHT - 6);
    ctx.textAlign = 'right';
    let widest = 0;
    for (const t of ticks(grid.y)) {
      const label = axisLabel(grid.y, t);
      widest = Math.max(widest, ctx.measureText(label).width);
      ctx.fillText(label, PAD.left - 6, toY(t) + 4);
    }
    // The title sits left of the widest tick label, never on it.
    ctx.save();
    ctx.translate(Math.max(10, PAD.left - 6 - widest - 10), PAD.top + plotH / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textAlign = 'center';
    ctx.fillText(grid.y.log ? `${grid.y.param} (log)` : grid.y.param, 0, 0);
    ctx.restore();
  }, [grid, width, direction]);

  if (params.length < 2) {
    return (
      <p className="muted" data-testid="study-contour">
        A contour needs two parameters; this space has {params.length}.
      </p>
    );
  }
  return (
    <div className="study-contour" data-testid="study-contour" data-points={grid?.points.length ?? 0} data-x={px} data-y={py}>
      {grid && (
        <p className="hint" data-testid="contour-note">
          {grid.points.length < CONTOUR_MIN_POINTS
            ? `The surface appears once ${CONTOUR_MIN_POINTS} trials have both parameters; ${grid.points.length} so far.`
            : 'Painted only near sampled trials: blank regions were never tried.'}
        </p>
      )}
      <div className="row chart-controls">
        <LabelledSelect label="x" data-testid="contour-x" value={px} onChange={(e) => setPx(e.target.value)} options={params} />
        <LabelledSelect label="y" data-testid="contour-y" value={py} onChange={(e) => setPy(e.target.value)} options={params} />
        {grid && (
          <span className="contour-scale muted">
            <span>{fmtNum(direction === 'minimize' ? grid.hi : grid.lo)}</span>
            <span className="contour-ramp" aria-hidden="true" />
            <span>{fmtNum(direction === 'minimize' ? grid.lo : grid.hi)}</span>
            <span>{metric}, better brighter</span>
          </span>
        )}
      </div>
      <div ref={hostRef} className="contour-host">
        <canvas
          ref={canvasRef}
          style={{ width, height: HEIGHT }}
          role="img"
          aria-label={`${metric} over ${px} and ${py}`}
        />
        {px === py && <div className="chart-empty">Pick two different parameters.</div>}
        {px !== py && !grid && <div className="chart-empty">No completed trial has both parameters yet.</div>}
      </div>
    </div>
  );
}

/** Tick positions in axis units: every category (thinned past 12), else five even steps. */
function ticks(a: ParamAxis): number[] {
  if (a.kind === 'category') {
    const every = Math.ceil(a.categories.length / 12);
    return a.categories.map((_, i) => i).filter((i) => i % every === 0);
  }
  if (!(a.max > a.min)) return [a.min];
  return [0, 0.25, 0.5, 0.75, 1].map((f) => a.min + f * (a.max - a.min));
}
