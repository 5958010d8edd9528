/**
 * Predict with a version or alias on an uploaded file or a stored dataset: the input is checked
 * against the model's schema by the core (errors name the row and column), the result is drawn
 * (forecast against actual, or values with the flagged rows) with a preview of its table, and
 * downloads as CSV.
 *
 * Test ids: `predict-panel`, `predict-ref`, `predict-data-*` (see DataPicker), `predict-run`,
 * `predict-error`, `predict-result` (data-rows, data-skipped, data-version), `predict-chart`,
 * `predict-table` (data-rows), `predict-download`.
 */
import { useCallback, useState } from 'react';
import type { ModelVersion, PredictData, PredictResult, RegisteredModel } from '../../shared/contract';
import { api } from '../api/client';
import { downloadFile } from '../lib/download';
import { errorMessage } from '../lib/errors';
import { fmtDuration, fmtInt, fmtNum } from '../lib/format';
import { DataPicker } from './DataPicker';
import { ErrorBanner } from './ErrorBanner';
import { LabelledSelect } from './LabelledSelect';
import { PredictChart } from './PredictChart';
import { refOptions } from './model-data';

const PREVIEW_ROWS = 50;

export function PredictPanel({ model, versions }: { model: RegisteredModel; versions: ModelVersion[] }) {
  const options = refOptions(model.name, model.aliases, versions.map((v) => v.version));
  const [ref, setRef] = useState(options[0]?.value ?? '');
  const [data, setData] = useState<PredictData | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<PredictResult | null>(null);
  const onData = useCallback((d: PredictData | null) => setData(d), []);
  const chosen = options.some((o) => o.value === ref) ? ref : (options[0]?.value ?? '');

  async function run(): Promise<void> {
    if (!data || !chosen) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await api().models.predict({ ref: chosen, data }));
    } catch (err) {
      setResult(null);
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="predict-panel" data-testid="predict-panel">
      <div className="row form-row">
        <LabelledSelect label="Model" options={options} value={chosen} onChange={(e) => setRef(e.target.value)} data-testid="predict-ref" />
        <DataPicker testId="predict-data" onChange={onData} onError={setError} />
        <button type="button" className="button button-primary" disabled={busy || !data || !chosen} onClick={() => void run()} data-testid="predict-run">
          {busy ? 'Predicting…' : 'Predict'}
        </button>
      </div>
      {error && (
        <div data-testid="predict-error">
          <ErrorBanner message={error} onDismiss={() => setError(null)} />
        </div>
      )}
      {result && (
        <div className="predict-result" data-testid="predict-result" data-rows={result.rows.length} data-skipped={result.skipped} data-version={result.version}>
          <div className="section-head">
            <span className="muted">
              {result.model}:{result.version} · {fmtInt(result.rows.length)} rows · {fmtInt(result.skipped)} skipped (no full window) · {fmtDuration(result.durationMs)}
            </span>
            <button
              type="button"
              className="button button-small"
              data-testid="predict-download"
              onClick={() => downloadFile({ filename: `${result.model}-v${result.version}-predictions.csv`, mime: 'text/csv', text: result.csv })}
            >
              Download CSV
            </button>
          </div>
          <PredictChart result={result} />
          <div className="table-wrap predict-table-wrap">
            <table className="table predict-table" data-testid="predict-table" data-rows={Math.min(PREVIEW_ROWS, result.rows.length)}>
              <thead>
                <tr>
                  {result.columns.map((c) => (
                    <th key={c}>{c}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {result.rows.slice(-PREVIEW_ROWS).map((row, i) => (
                  <tr key={i}>
                    {row.map((cell, j) => (
                      <td key={j} className={typeof cell === 'number' ? 'num' : undefined}>
                        {typeof cell === 'number' ? fmtNum(cell) : (cell ?? '')}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {result.rows.length > PREVIEW_ROWS && <p className="muted">The last {PREVIEW_ROWS} rows are shown; the CSV holds all {fmtInt(result.rows.length)}.</p>}
        </div>
      )}
    </div>
  );
}
