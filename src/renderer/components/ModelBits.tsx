/** Small pieces the Models view, the model page and the dialogs share: alias chips, the gate badge, a gate report's checks, a link to a model's page. */
import type { GateReport } from '../../shared/contract';
import { fmtNum, fmtTime } from '../lib/format';
import { navigate } from '../stores/ui';
import { aliasEntries, gateStatus } from './model-data';

export function AliasChips({ aliases }: { aliases: Record<string, number> }) {
  const entries = aliasEntries(aliases);
  if (entries.length === 0) return <span className="muted">—</span>;
  return (
    <span className="alias-chips">
      {entries.map(([alias, version]) => (
        <span key={alias} className={`chip alias-chip alias-${alias}`} data-testid="model-alias" data-alias={alias} data-version={version}>
          @{alias} → {version}
        </span>
      ))}
    </span>
  );
}

const GATE_LABEL = { pass: 'passed', fail: 'failed', none: 'no gate run' } as const;

export function GateBadge({ report, testId = 'model-gate' }: { report: GateReport | null | undefined; testId?: string }) {
  const status = gateStatus(report);
  return (
    <span className={`badge badge-gate-${status}`} data-testid={testId} data-gate={status} title={report ? `gate for v${report.version}${report.alias ? ` @${report.alias}` : ''} at ${fmtTime(report.at)}` : undefined}>
      {GATE_LABEL[status]}
    </span>
  );
}

/** Every check of a report: the rule, what was measured, the threshold, pass or fail, and why. */
export function GateChecks({ report, testId = 'gate-report' }: { report: GateReport; testId?: string }) {
  return (
    <div className="gate-report" data-testid={testId} data-passed={report.passed} data-report-id={report.id}>
      <div className="gate-report-head">
        <GateBadge report={report} testId="gate-report-status" />
        <span className="mono">
          v{report.version}
          {report.alias ? ` → @${report.alias}` : ''}
        </span>
        <span className="muted">{fmtTime(report.at)}</span>
      </div>
      <table className="table gate-checks">
        <thead>
          <tr>
            <th>Rule</th>
            <th className="num">Value</th>
            <th className="num">Threshold</th>
            <th>Result</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          {report.checks.map((c, i) => (
            <tr key={i} data-testid="gate-check" data-passed={c.passed} data-kind={c.kind}>
              <td className="mono">{c.rule}</td>
              <td className="num">{fmtNum(c.value)}</td>
              <td className="num">{fmtNum(c.threshold)}</td>
              <td className={c.passed ? 'gate-pass' : 'gate-fail'}>{c.passed ? 'pass' : 'fail'}</td>
              <td className="muted">{c.detail}</td>
            </tr>
          ))}
          {report.checks.length === 0 && (
            <tr className="empty-row">
              <td colSpan={5}>No rules: the gate passes everything.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

/** Closes the dialog it sits in and opens the model's page. */
export function OpenModelButton({ name, onClose, testId }: { name: string; onClose(): void; testId: string }) {
  return (
    <button
      type="button"
      className="button button-primary"
      data-testid={testId}
      onClick={() => {
        onClose();
        navigate('models', name);
      }}
    >
      Open {name}
    </button>
  );
}
