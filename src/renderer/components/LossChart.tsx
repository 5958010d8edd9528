/**
 * Training and validation loss by epoch, drawn with uPlot. The plot is created once and fed new
 * data as 'run.metric' events arrive, so a live run redraws without rebuilding the chart.
 */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { SeriesByKey } from '../stores/metrics';
import { fmtNum } from '../lib/format';
import { joinSeries, lastValue } from './chart-data';
import { AXIS_LABEL_FONT, AXIS_STYLE, WHOLE_STEP_INCREMENTS, useUplot } from './uplot-host';

const HEIGHT = 220;
const KEYS = ['loss', 'val_loss'] as const;
const COLORS: Record<(typeof KEYS)[number], string> = { loss: '#4c9aff', val_loss: '#f5a524' };

/** One x axis (the union of steps) with a y array per key; a key missing at a step is a gap. */
function alignSeries(series: SeriesByKey, keys: readonly string[]): uPlot.AlignedData {
  return joinSeries(
    keys.map((k) => {
      const points = series[k] ?? [];
      return { xs: points.map((p) => p.step), ys: points.map((p) => (Number.isFinite(p.value) ? p.value : null)) };
    }),
  );
}

export function LossChart({ series, loading }: { series: SeriesByKey; loading?: boolean }) {
  const data = useMemo(() => alignSeries(series, KEYS), [series]);
  const points = data[0].length;

  // Built once: new points arrive through setData.
  const hostRef = useUplot(
    () => ({
      scales: { x: { time: false } },
      cursor: { drag: { x: true, y: false } },
      legend: { live: true },
      series: [
        {
          label: 'epoch',
          // Away from the cursor the legend shows the latest epoch and values.
          value: (u, v, _s, idx) => {
            if (idx !== null) return v === null || v === undefined ? '—' : String(v);
            const last = lastValue(u.data[0]);
            return last === null ? '—' : `${last} (latest)`;
          },
        },
        ...KEYS.map((k) => ({
          label: k,
          stroke: COLORS[k],
          width: 2,
          spanGaps: true,
          points: { show: true, size: 4 },
          value: (u: uPlot, v: number | null, sidx: number, idx: number | null) =>
            fmtNum(idx === null ? lastValue(u.data[sidx]) : v),
        })),
      ],
      axes: [
        { ...AXIS_STYLE, label: 'epoch', labelSize: 16, labelFont: AXIS_LABEL_FONT, incrs: WHOLE_STEP_INCREMENTS, values: (_u, ticks) => ticks.map((t) => String(t)) },
        { ...AXIS_STYLE, size: 56, values: (_u, ticks) => ticks.map((t) => fmtNum(t)) },
      ],
    }),
    data,
    { height: HEIGHT },
    [],
  );

  return (
    <div className="chart" data-testid="loss-chart" data-points={points}>
      <div ref={hostRef} className="chart-host" />
      {points === 0 && (
        <div className="chart-empty">{loading ? 'Loading metrics…' : 'Loss appears here after the first epoch.'}</div>
      )}
    </div>
  );
}
