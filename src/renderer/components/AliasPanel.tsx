/**
 * Aliases: set or move one (protected aliases run the gate first and its report is shown; a failed
 * gate offers Force with a reason), remove one, and every move as a timeline.
 *
 * Test ids: `alias-form`, `alias-name`, `alias-version`, `alias-reason`, `alias-check` (runs the
 * gate without moving), `alias-set`, `alias-force` (a checkbox, shown once the gate has failed),
 * `alias-error`, `alias-done`, `alias-report` (the gate report of the last check or attempt, a
 * GateChecks), `alias-remove` (data-alias); `alias-history` (data-events), `alias-event`
 * (data-alias, data-from, data-to, data-forced), `alias-event-forced`, `alias-event-report`
 * (toggles the event's gate report, `alias-event-gate`).
 */
import { useState } from 'react';
import type { AliasEvent, GateReport, ModelVersion, RegisteredModel } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { fmtTime } from '../lib/format';
import { useModels } from '../stores/models';
import { ErrorBanner } from './ErrorBanner';
import { GateChecks } from './ModelBits';
import { aliasEntries } from './model-data';

const ALIAS_RE = /^[a-z][a-z0-9_-]{0,63}$/;

export function SetAliasForm({ model, versions }: { model: RegisteredModel; versions: ModelVersion[] }) {
  const [alias, setAlias] = useState('champion');
  const [version, setVersion] = useState<number | null>(model.latestVersion);
  const [reason, setReason] = useState('');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [report, setReport] = useState<GateReport | null>(null);
  const isProtected = model.gate.protectedAliases.includes(alias);
  const v = version ?? model.latestVersion;

  async function act(work: () => Promise<void>): Promise<void> {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      await work();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const check = () =>
    act(async () => {
      if (v === null) return;
      setReport(await api().models.checkGate({ ref: `${model.name}:${v}`, alias }));
      void useModels.getState().reload();
    });

  const set = () =>
    act(async () => {
      if (v === null) return;
      if (!ALIAS_RE.test(alias)) throw new Error('An alias is 1-64 lowercase letters, digits, "_" or "-", starting with a letter');
      const startedAt = Date.now();
      try {
        const event = await api().models.setAlias({ name: model.name, alias, version: v, reason: reason.trim() || undefined, force });
        setReport(event.gate);
        setDone(`@${alias} → ${v}${event.forced ? ' (forced)' : ''}`);
        setForce(false);
        setReason('');
      } catch (err) {
        // A refused move stores its report: show it beside the error, from the detail read again.
        await useModels.getState().reload();
        const latest = useModels.getState().detail?.reports.find((r) => r.version === v && r.alias === alias && r.at >= startedAt - 60_000);
        setReport(latest ?? null);
        throw err;
      }
      await useModels.getState().reload();
    });

  const remove = (name: string) =>
    act(async () => {
      await api().models.removeAlias({ name: model.name, alias: name, reason: reason.trim() || undefined });
      setDone(`@${name} removed`);
      await useModels.getState().reload();
    });

  const failed = report !== null && !report.passed && report.version === v && report.alias === alias;

  return (
    <div className="alias-form" data-testid="alias-form">
      <div className="alias-current">
        {aliasEntries(model.aliases).map(([a, ver]) => (
          <span key={a} className={`chip alias-chip alias-${a}`}>
            @{a} → {ver}
            <button type="button" className="link-button" aria-label={`Remove alias ${a}`} disabled={busy} onClick={() => void remove(a)} data-testid="alias-remove" data-alias={a}>
              ×
            </button>
          </span>
        ))}
      </div>
      <div className="row form-row">
        <label className="field">
          <span>Alias</span>
          <input value={alias} onChange={(e) => setAlias(e.target.value.trim())} list="alias-suggestions" maxLength={64} data-testid="alias-name" />
          <datalist id="alias-suggestions">
            <option value="champion" />
            <option value="candidate" />
          </datalist>
        </label>
        <label className="field">
          <span>Version</span>
          <select value={v ?? ''} onChange={(e) => setVersion(Number(e.target.value))} data-testid="alias-version">
            {versions.map((x) => (
              <option key={x.version} value={x.version}>
                {x.version}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span>Reason{force ? ' (required to force)' : ''}</span>
        <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={2000} placeholder="Why this version" data-testid="alias-reason" />
      </label>
      {failed && (
        <label className="checkbox">
          <input type="checkbox" checked={force} onChange={(e) => setForce(e.target.checked)} data-testid="alias-force" />
          Force past the failed gate (recorded with the reason)
        </label>
      )}
      <div className="form-actions">
        <span className="muted">{isProtected ? `@${alias} is protected: the gate runs first.` : `@${alias} is not protected: no gate runs.`}</span>
        <button type="button" className="button" disabled={busy || v === null} onClick={() => void check()} data-testid="alias-check">
          Check gate
        </button>
        <button
          type="button"
          className={`button ${force ? 'button-danger' : 'button-primary'}`}
          disabled={busy || v === null || !alias || (force && !reason.trim())}
          onClick={() => void set()}
          data-testid="alias-set"
        >
          {busy ? 'Working…' : force ? 'Force' : 'Set alias'}
        </button>
      </div>
      {error && (
        <div data-testid="alias-error">
          <ErrorBanner message={error} onDismiss={() => setError(null)} />
        </div>
      )}
      {done && (
        <p className="notice" data-testid="alias-done">
          {done}
        </p>
      )}
      {report && <GateChecks report={report} testId="alias-report" />}
    </div>
  );
}

export function AliasHistory({ events }: { events: AliasEvent[] }) {
  const [open, setOpen] = useState<string | null>(null);
  if (events.length === 0) return <p className="muted" data-testid="alias-history" data-events={0}>No alias has moved yet.</p>;
  return (
    <ol className="alias-timeline" data-testid="alias-history" data-events={events.length}>
      {events.map((e) => (
        <li key={e.id} className="alias-event" data-testid="alias-event" data-alias={e.alias} data-from={e.fromVersion ?? ''} data-to={e.toVersion ?? ''} data-forced={e.forced}>
          <div className="alias-event-head">
            <span className={`chip alias-chip alias-${e.alias}`}>@{e.alias}</span>
            <span className="mono">
              {e.fromVersion ?? '∅'} → {e.toVersion ?? '∅'}
            </span>
            {e.forced && (
              <span className="badge badge-failed" data-testid="alias-event-forced" title="The gate failed and the move was forced">
                forced
              </span>
            )}
            <span className="muted">{fmtTime(e.at)}</span>
            {e.gate && (
              <button type="button" className="link-button" onClick={() => setOpen(open === e.id ? null : e.id)} data-testid="alias-event-report" aria-expanded={open === e.id}>
                gate {e.gate.passed ? 'passed' : 'failed'}
              </button>
            )}
          </div>
          {e.reason && <div className="alias-event-reason">{e.reason}</div>}
          {open === e.id && e.gate && <GateChecks report={e.gate} testId="alias-event-gate" />}
        </li>
      ))}
    </ol>
  );
}
