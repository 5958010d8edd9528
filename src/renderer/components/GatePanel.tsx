/**
 * The model's validation gate: its rules (editable, one per line), the protected aliases whose
 * moves run it, the promotion hooks, and the reports it stored, newest first.
 *
 * Test ids: `gate-panel`, `gate-rules` (data-rules), `gate-edit`, `gate-rules-input`,
 * `gate-protected-input`, `gate-save`, `gate-cancel`, `gate-error`, `gate-hooks`, `gate-reports`
 * (data-reports), `gate-report` (one GateChecks each), `gate-reports-more`.
 */
import { useState } from 'react';
import type { GateReport, RegisteredModel } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { useModels } from '../stores/models';
import { ErrorBanner } from './ErrorBanner';
import { GateChecks } from './ModelBits';
import { formatGateRule, parseGateRules } from './model-data';

const REPORTS_SHOWN = 5;

export function GatePanel({ model, reports }: { model: RegisteredModel; reports: GateReport[] }) {
  const [editing, setEditing] = useState(false);
  const [rulesText, setRulesText] = useState('');
  const [protectedText, setProtectedText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [all, setAll] = useState(false);
  const { gate } = model;

  function startEdit(): void {
    setRulesText(gate.rules.map(formatGateRule).join('\n'));
    setProtectedText(gate.protectedAliases.join(', '));
    setError(null);
    setEditing(true);
  }

  async function save(): Promise<void> {
    const parsed = parseGateRules(rulesText);
    if ('error' in parsed) return setError(parsed.error);
    const protectedAliases = protectedText
      .split(/[,\s]+/)
      .map((a) => a.trim().replace(/^@/, ''))
      .filter(Boolean);
    setBusy(true);
    setError(null);
    try {
      const updated = await api().models.setGate({ name: model.name, gate: { rules: parsed.rules, protectedAliases } });
      useModels.getState().receiveModel(updated);
      setEditing(false);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const shown = all ? reports : reports.slice(0, REPORTS_SHOWN);
  return (
    <div className="gate-panel" data-testid="gate-panel">
      <div className="section-head">
        <h3>Gate</h3>
        {!editing && (
          <button type="button" className="button button-small" onClick={startEdit} data-testid="gate-edit">
            Edit rules
          </button>
        )}
      </div>
      {editing ? (
        <div className="gate-editor">
          <label className="field">
            <span>Rules, one per line: a metric comparison (val.rmse &lt;= 0.95 * naive.val.rmse) or champion METRIC [TOLERANCE] [@ALIAS]</span>
            <textarea rows={5} value={rulesText} onChange={(e) => setRulesText(e.target.value)} className="mono" data-testid="gate-rules-input" />
          </label>
          <label className="field">
            <span>Protected aliases (their moves run the gate)</span>
            <input value={protectedText} onChange={(e) => setProtectedText(e.target.value)} data-testid="gate-protected-input" />
          </label>
          <div className="form-actions">
            <span className="spacer" />
            <button type="button" className="button" onClick={() => setEditing(false)} disabled={busy} data-testid="gate-cancel">
              Cancel
            </button>
            <button type="button" className="button button-primary" onClick={() => void save()} disabled={busy} data-testid="gate-save">
              {busy ? 'Saving…' : 'Save gate'}
            </button>
          </div>
        </div>
      ) : (
        <>
          <ul className="gate-rules" data-testid="gate-rules" data-rules={gate.rules.length}>
            {gate.rules.map((r, i) => (
              <li key={i} className="mono">
                {formatGateRule(r)}
              </li>
            ))}
            {gate.rules.length === 0 && <li className="muted">No rules: only the schema checks run.</li>}
          </ul>
          <p className="muted">
            Protected: {gate.protectedAliases.length ? gate.protectedAliases.map((a) => `@${a}`).join(', ') : 'none'}
          </p>
          <ul className="gate-hooks" data-testid="gate-hooks">
            {gate.hooks.map((h, i) => (
              <li key={i} className="mono">
                on promotion: {h.kind === 'command' ? `run ${h.command}` : `POST ${h.url}`}
              </li>
            ))}
          </ul>
        </>
      )}
      {error && (
        <div data-testid="gate-error">
          <ErrorBanner message={error} />
        </div>
      )}
      <h4>Reports</h4>
      <div className="gate-reports" data-testid="gate-reports" data-reports={reports.length}>
        {reports.length === 0 && <p className="muted">The gate has not run yet.</p>}
        {shown.map((r) => (
          <GateChecks key={r.id} report={r} />
        ))}
        {reports.length > REPORTS_SHOWN && (
          <button type="button" className="link-button" onClick={() => setAll((a) => !a)} data-testid="gate-reports-more">
            {all ? 'Show fewer' : `Show all ${reports.length}`}
          </button>
        )}
      </div>
    </div>
  );
}
