/**
 * A forecast run's metrics on the original scale: the model beside the naive last-value and the
 * seasonal-naive baselines on the same targets, test first (the headline) then validation (what
 * model selection used), the best value of each split and column marked, and a verdict in words.
 *
 * Test ids: `metrics-table`, `metrics-split` (data-split), `metrics-row` (data-series: test, naive,
 * seasonal_naive, val, naive.val, seasonal_naive.val), `metric-<prefix>-<mae|rmse|mape|r2|skill>`
 * (data-better), `metrics-verdict`, `metrics-seasonal-missing` (the seasonal-naive row of a split that has none).
 */
import { fmtNum } from '../lib/format';
import { METRIC_COLUMNS, metricsSplits, metricsVerdict, skillPercent, type MetricsRow } from './metrics-table-data';

const SPLIT_TITLE = { test: 'Test split (held out, reported)', validation: 'Validation split (what selection used)' } as const;

function skillText(r: MetricsRow): string {
  if (r.kind === 'naive') return 'reference';
  if (r.skill === null) return '—';
  return `${r.skill >= 0 ? '+' : '−'}${skillPercent(r.skill)}`;
}

export function MetricsTable({ summary }: { summary: Record<string, number> }) {
  const splits = metricsSplits(summary);
  return (
    <div className="metrics">
      <table className="table metrics-table" data-testid="metrics-table">
        <thead>
          <tr>
            <th />
            {METRIC_COLUMNS.map((c) => (
              <th key={c.key} className="num">
                {c.label} <span className="muted">{c.higherIsBetter ? '↑' : '↓'}</span>
              </th>
            ))}
            <th className="num" title="1 − RMSE / naive RMSE on the same split: how far below the naive forecast's error the row's error is">
              Skill vs naive <span className="muted">↑</span>
            </th>
          </tr>
        </thead>
        {splits.map((s) => (
          <tbody key={s.split} data-testid="metrics-split" data-split={s.split}>
            <tr>
              <th scope="rowgroup" colSpan={METRIC_COLUMNS.length + 2} className={s.split === 'test' ? 'headline' : 'muted'}>
                {SPLIT_TITLE[s.split]}
              </th>
            </tr>
            {s.rows.map((r) => (
              <tr key={r.prefix} data-testid="metrics-row" data-series={r.prefix}>
                <th scope="row" className={r.kind === 'model' && s.split === 'test' ? 'headline' : undefined}>
                  {r.label}
                </th>
                {METRIC_COLUMNS.map((c) => {
                  const v = r.values[c.key];
                  const better = r.best.has(c.key);
                  return (
                    <td
                      key={c.key}
                      className={`num${better ? ' better' : ''}`}
                      data-testid={`metric-${r.prefix}-${c.key}`}
                      data-better={better}
                      title={better ? 'Best of this split' : undefined}
                    >
                      {fmtNum(v)}
                      {v !== undefined && c.unit}
                    </td>
                  );
                })}
                <td className="num" data-testid={`metric-${r.prefix}-skill`}>
                  {skillText(r)}
                </td>
              </tr>
            ))}
            {!s.rows.some((r) => r.kind === 'seasonal_naive') && (
              <tr data-testid="metrics-seasonal-missing">
                <th scope="row" className="muted">
                  Seasonal naive
                </th>
                <td colSpan={METRIC_COLUMNS.length + 1} className="muted">
                  not scored: no season was found in the data or set in the <span className="mono">season</span> param, or one season reaches before the first row
                </td>
              </tr>
            )}
          </tbody>
        ))}
      </table>
      <p className="hint" data-testid="metrics-verdict">
        {metricsVerdict(splits)} {splits.length > 0 && 'Within noise: RMSE within 2% of the baseline’s. ↓ lower is better, ↑ higher is better; ✓ marks the best of each split.'}
      </p>
    </div>
  );
}
