/** Test metrics of the model beside the naive last-value baseline on the same split; the better is marked. */
import { fmtNum } from '../lib/format';

const METRICS: { key: string; label: string; higherIsBetter: boolean }[] = [
  { key: 'mae', label: 'MAE', higherIsBetter: false },
  { key: 'rmse', label: 'RMSE', higherIsBetter: false },
  { key: 'mape', label: 'MAPE', higherIsBetter: false },
  { key: 'r2', label: 'R²', higherIsBetter: true },
];

type Winner = 'model' | 'naive' | 'tie' | null;

function winner(model: number | undefined, naive: number | undefined, higherIsBetter: boolean): Winner {
  if (model === undefined || naive === undefined || !Number.isFinite(model) || !Number.isFinite(naive)) return null;
  if (model === naive) return 'tie';
  return (higherIsBetter ? model > naive : model < naive) ? 'model' : 'naive';
}

export function MetricsTable({ summary }: { summary: Record<string, number> }) {
  let modelWins = 0;
  let compared = 0;
  const rows = METRICS.map((m) => {
    const model = summary[`test.${m.key}`];
    const naive = summary[`naive.${m.key}`];
    const w = winner(model, naive, m.higherIsBetter);
    if (w) compared++;
    if (w === 'model') modelWins++;
    return { ...m, model, naive, w };
  });
  return (
    <div className="metrics">
      <table className="table metrics-table" data-testid="metrics-table">
        <thead>
          <tr>
            <th>Test metric</th>
            <th className="num">Model</th>
            <th className="num">Naive (last value)</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key}>
              <th scope="row">
                {r.label} <span className="muted">{r.higherIsBetter ? '↑' : '↓'}</span>
              </th>
              <td
                className={`num${r.w === 'model' ? ' better' : ''}`}
                data-testid={`metric-test-${r.key}`}
                data-better={r.w === 'model'}
                title={r.w === 'model' ? 'Better' : undefined}
              >
                {fmtNum(r.model)}
              </td>
              <td
                className={`num${r.w === 'naive' ? ' better' : ''}`}
                data-testid={`metric-naive-${r.key}`}
                data-better={r.w === 'naive'}
                title={r.w === 'naive' ? 'Better' : undefined}
              >
                {fmtNum(r.naive)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint" data-testid="metrics-verdict">
        {compared === 0
          ? 'No test metrics were recorded for this run.'
          : `The model beats the naive baseline on ${modelWins} of ${compared} metrics. ↓ lower is better, ↑ higher is better; ✓ marks the better value.`}
      </p>
    </div>
  );
}
