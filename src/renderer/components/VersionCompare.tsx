/**
 * Two versions side by side: their recorded metrics with the better of each marked, and
 * models.evaluate to score both on the same rows of a chosen dataset.
 *
 * Test ids: `version-compare-panel` (data-a, data-b), `compare-row` (data-key, data-better),
 * `compare-close`, `evaluate-data-*` (see DataPicker), `evaluate-rows`, `evaluate-run`,
 * `evaluate-error`, `evaluate-result` (data-count), `evaluate-row` (data-key, data-better).
 */
import { useCallback, useState } from 'react';
import type { EvaluateResult, ModelVersion, PredictData } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { fmtInt, fmtNum } from '../lib/format';
import { DataPicker } from './DataPicker';
import { ErrorBanner } from './ErrorBanner';
import { compareMetrics, type CompareRow, type Task } from './model-data';

function CompareTable({ rows, a, b, testId }: { rows: CompareRow[]; a: string; b: string; testId: string }) {
  return (
    <table className="table compare-metrics">
      <thead>
        <tr>
          <th>Metric</th>
          <th className="num">{a}</th>
          <th className="num">{b}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.key} data-testid={testId} data-key={r.key} data-better={r.better ?? ''}>
            <td className="mono">{r.key}</td>
            <td className={`num${r.better === 'a' ? ' better' : ''}`}>
              {fmtNum(r.a)}
            </td>
            <td className={`num${r.better === 'b' ? ' better' : ''}`}>
              {fmtNum(r.b)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function VersionCompare({ task, a, b, onClose }: { task: Task; a: ModelVersion; b: ModelVersion; onClose(): void }) {
  const [data, setData] = useState<PredictData | null>(null);
  const [rows, setRows] = useState<'test' | 'all'>('test');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<EvaluateResult | null>(null);
  const onData = useCallback((d: PredictData | null) => setData(d), []);
  const refA = `${a.model}:${a.version}`;
  const refB = `${b.model}:${b.version}`;

  async function evaluate(): Promise<void> {
    if (!data) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api().models.evaluate({ refs: [refA, refB], data, rows }));
    } catch (err) {
      setResult(null);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const scored = result && result.models.length === 2 ? compareMetrics(result.models[0].metrics, result.models[1].metrics, task).filter((r) => r.a !== null || r.b !== null) : null;
  return (
    <section className="panel version-compare" data-testid="version-compare-panel" data-a={a.version} data-b={b.version}>
      <div className="section-head">
        <h3>
          v{a.version} against v{b.version}
        </h3>
        <button type="button" className="link-button" onClick={onClose} data-testid="compare-close" aria-label="Close the comparison">
          ×
        </button>
      </div>
      <p className="muted">Recorded at training, each on its own split; ✓ marks the better.</p>
      <CompareTable rows={compareMetrics(a.lineage.metrics, b.lineage.metrics, task)} a={`v${a.version}`} b={`v${b.version}`} testId="compare-row" />
      <h4>Scored on the same rows</h4>
      <div className="row form-row">
        <DataPicker testId="evaluate-data" onChange={onData} onError={setError} />
        <label className="field">
          <span>Rows</span>
          <select value={rows} onChange={(e) => setRows(e.target.value as 'test' | 'all')} data-testid="evaluate-rows">
            <option value="test">v{a.version}'s test rows</option>
            <option value="all">all rows</option>
          </select>
        </label>
        <button type="button" className="button button-primary" disabled={busy || !data} onClick={() => void evaluate()} data-testid="evaluate-run">
          {busy ? 'Scoring…' : 'Evaluate both'}
        </button>
      </div>
      {error && (
        <div data-testid="evaluate-error">
          <ErrorBanner message={error} onDismiss={() => setError(null)} />
        </div>
      )}
      {result && scored && (
        <div data-testid="evaluate-result" data-count={result.rows.count}>
          <p className="muted">
            {result.dataset.name}: {fmtInt(result.rows.count)} {result.rows.which} rows
            {result.rows.from ? ` from ${result.rows.from}` : ''}
            {result.rows.to ? ` to ${result.rows.to}` : ''}
          </p>
          <CompareTable rows={scored} a={result.models[0].ref} b={result.models[1].ref} testId="evaluate-row" />
        </div>
      )}
    </section>
  );
}
