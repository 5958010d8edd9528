/**
 * The study page's charts: optimisation history, learning curves, slices, parameter importance and
 * parallel coordinates. Each takes the trials as held by the store and derives what it draws in a
 * memo, so a batch of events costs one derivation per chart. Where 5,000 trials would be a wall of
 * ink, a chart draws the best few hundred and says so.
 */
import { useMemo } from 'react';
import type { Direction, SearchSpace, StudyTrial } from '../../shared/contract';
import { fmtInt, fmtNum } from '../lib/format';
import { ParallelCoordinates, type ParallelRun } from './ParallelCoordinates';
import { StudyPlot } from './StudyPlot';
import { alignCurves, axisLabel, compareTrials, goodness, historyColumns, pickCurves, rgb, sliceData, spreads, viridis } from './study-data';

/** Curves drawn at most: enough to see the shape of a study, few enough to redraw at once. */
export const MAX_CURVES = 200;
/** Lines in the parallel-coordinates chart at most (it is SVG: a DOM node per line). */
export const MAX_PARALLEL = 300;

const COMPLETED = '#4c9aff';
const PRUNED = '#f5a524';
const BEST = '#3fb97a';

/** Dots shrink as they multiply, so thousands of trials still show where they gather. */
export function dotSize(count: number): number {
  return count > 2000 ? 3 : count > 300 ? 4 : 5;
}

export function StudyHistoryChart({ trials, direction, metric }: { trials: StudyTrial[]; direction: Direction; metric: string }) {
  const h = useMemo(() => historyColumns(trials, direction), [trials, direction]);
  const completed = h.completed.filter((v) => v !== null).length;
  const pruned = h.pruned.filter((v) => v !== null).length;
  return (
    <StudyPlot
      testId="study-history"
      title={`Optimisation history: ${metric} (${direction}), best so far in green`}
      data={[h.numbers, h.completed, h.pruned, h.best]}
      series={[
        { label: 'completed', color: COMPLETED, points: true, pointSize: dotSize(h.numbers.length) },
        { label: 'pruned', color: PRUNED, points: true, pointSize: dotSize(h.numbers.length) },
        { label: 'best so far', color: BEST, width: 2, stepped: true },
      ]}
      shape={`history:${dotSize(h.numbers.length)}`}
      xLabel="trial"
      xIntegers
      xPadMin={0.5}
      yLabel={metric}
      attrs={{ points: h.numbers.length, completed, pruned }}
      empty={h.numbers.length === 0}
      emptyText="No finished trials yet."
    />
  );
}

/** What the intermediate-values chart plots, in words: the per-epoch series, and whether it is the objective. */
export function curvesTitle(metric: string, intermediateKey: string | null): string {
  if (intermediateKey === null) return `Intermediate values: none (this model reports no per-epoch series; ${metric} is read from each finished run)`;
  const which = intermediateKey === metric ? 'the objective' : `not the objective: ${metric} is read from each finished run`;
  return `Intermediate values: ${intermediateKey} per epoch (${which}); pruned dashed in orange, running in violet`;
}

export function StudyCurvesChart({ trials, direction, metric, intermediateKey }: { trials: StudyTrial[]; direction: Direction; metric: string; intermediateKey: string | null }) {
  // Curves rank trials by their final objective value; the drawn series is the intermediate one.
  const curves = useMemo(() => pickCurves(trials, direction, MAX_CURVES), [trials, direction]);
  const { steps, columns } = useMemo(() => alignCurves(curves), [curves]);
  const withCurves = useMemo(() => trials.filter((t) => t.intermediate.length > 0).length, [trials]);
  const series = curves.map((t) => ({
    label: `#${t.number}`,
    color: t.status === 'pruned' ? PRUNED : t.status === 'running' ? '#b28cff' : t.status === 'failed' ? '#ef5b5b' : COMPLETED,
    width: 1,
    dash: t.status === 'pruned' ? [4, 3] : undefined,
  }));
  const pruned = curves.filter((t) => t.status === 'pruned').length;
  return (
    <div>
      <StudyPlot
        testId="study-curves"
        title={curvesTitle(metric, intermediateKey)}
        data={[steps, ...columns]}
        series={series}
        shape={curves.map((t) => `${t.id}:${t.status}`).join(',')}
        xLabel="epoch"
        xIntegers
        yLabel={intermediateKey ?? metric}
        attrs={{ curves: curves.length, pruned, series: intermediateKey ?? '' }}
        empty={curves.length === 0}
        emptyText="No trial has reported an intermediate value yet."
      />
      {withCurves > curves.length && (
        <small className="muted" data-testid="study-curves-note">
          Showing {fmtInt(curves.length)} of {fmtInt(withCurves)} curves: the running ones, the best pruned and the best of the rest.
        </small>
      )}
    </div>
  );
}

export function StudySlicePlots({ trials, space, params, metric }: { trials: StudyTrial[]; space: SearchSpace; params: string[]; metric: string }) {
  return (
    <div className="study-slices" data-testid="study-slices">
      {params.map((p) => (
        <SlicePlot key={p} trials={trials} space={space} param={p} metric={metric} />
      ))}
    </div>
  );
}

function SlicePlot({ trials, space, param, metric }: { trials: StudyTrial[]; space: SearchSpace; param: string; metric: string }) {
  const slice = useMemo(() => sliceData(trials, param, space[param]), [trials, param, space]);
  const { axis } = slice;
  const range: [number, number] | undefined = spreads(axis) ? [axis.min - 0.5, axis.max + 0.5] : undefined;
  return (
    <StudyPlot
      testId="study-slice"
      attrs={{ param, points: slice.xs.length }}
      title={param}
      data={[slice.xs, slice.ys]}
      series={[{ label: param, color: COMPLETED, points: true, pointSize: dotSize(slice.xs.length) - 1 }]}
      shape={`slice:${param}:${axis.kind}:${axis.log}:${axis.categories.join('|')}:${dotSize(slice.xs.length)}`}
      xLabel={axis.log ? `${param} (log)` : param}
      yLabel={metric}
      xRange={range}
      xIntegers={axis.kind === 'category' || (axis.integer && !axis.log)}
      xValues={(x) => (spreads(axis) && Math.abs(x - Math.round(x)) > 1e-9 ? '' : axisLabel(axis, x))}
      height={180}
      empty={slice.xs.length === 0}
      emptyText="No completed trial has this parameter."
    />
  );
}

/** Below this many completed trials an importance ranking is mostly noise (Optuna's fANOVA warns likewise). */
export const IMPORTANCE_MIN_TRIALS = 10;

export function StudyImportance({
  rows,
  error,
  completed,
}: {
  rows: { param: string; importance: number }[];
  error: string | null;
  /** Completed trials the ranking rests on: a caveat below IMPORTANCE_MIN_TRIALS. */
  completed?: number;
}) {
  const max = Math.max(0, ...rows.map((r) => r.importance));
  if (error) return <p className="muted" data-testid="study-importance">{error}</p>;
  if (rows.length === 0) {
    return (
      <p className="muted" data-testid="study-importance">
        Parameter importance appears once enough trials have completed.
      </p>
    );
  }
  const few = completed !== undefined && completed < IMPORTANCE_MIN_TRIALS;
  return (
    <>
    {few && (
      <p className="hint notice-warn" data-testid="importance-caveat">
        From {completed} completed trial{completed === 1 ? '' : 's'} only: with fewer than {IMPORTANCE_MIN_TRIALS} the ranking can change with the next few trials.
      </p>
    )}
    <ul className="importance" data-testid="study-importance" data-rows={rows.length}>
      {rows.map((r) => (
        <li key={r.param} className="importance-row" data-testid="importance-row" data-param={r.param}>
          <span className="importance-name ellipsis" title={r.param}>
            {r.param}
          </span>
          <span className="importance-track">
            <span className="importance-bar" style={{ width: `${max > 0 ? (r.importance / max) * 100 : 0}%` }} />
          </span>
          <span className="num">{fmtNum(r.importance)}</span>
        </li>
      ))}
    </ul>
    </>
  );
}

export function StudyParallel({ trials, direction, metric }: { trials: StudyTrial[]; direction: Direction; metric: string }) {
  const { runs, total } = useMemo(() => {
    const done = trials.filter((t) => t.status === 'completed' && t.value !== null && Number.isFinite(t.value));
    const best = [...done].sort(compareTrials(direction)).slice(0, MAX_PARALLEL);
    const values = best.map((t) => t.value as number);
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    // Worst drawn first, so the best lie on top.
    const runs: ParallelRun[] = best.reverse().map((t) => ({
      id: t.id,
      label: `Trial ${t.number}`,
      params: t.params,
      metric: t.value,
      color: rgb(viridis(goodness(t.value as number, lo, hi, direction))),
    }));
    return { runs, total: done.length };
  }, [trials, direction]);
  if (runs.length === 0) return <p className="muted" data-testid="parallel-coords">No completed trials yet.</p>;
  return (
    <div>
      <ParallelCoordinates runs={runs} metricKey={metric} />
      <small className="muted">
        Colour: better trials brighter.{total > runs.length ? ` Showing the best ${fmtInt(runs.length)} of ${fmtInt(total)} completed trials.` : ''}
      </small>
    </div>
  );
}
