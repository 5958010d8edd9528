/**
 * Warm start from the study page: enqueue a trial with params the user gives (prefilled with the
 * best trial's, else each range's low end or first choice). The core checks them against the
 * space; its InvalidInput names the parameter (`params.lr`), which is marked with the message.
 * A conditional parameter left empty is simply absent.
 */
import { useState, type FormEvent } from 'react';
import type { ParamValue, StudySummary } from '../../shared/contract';
import { useStudies } from '../stores/studies';
import { toUiError, type UiError } from '../lib/errors';
import { parseValue } from './study-space';
import { invalidMark, PanelHead } from './form-parts';

function initialValues(study: StudySummary): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, d] of Object.entries(study.spec.space)) {
    const best = study.best?.params[name];
    if (best !== undefined) out[name] = String(best);
    else if (d.when) out[name] = '';
    else out[name] = d.type === 'categorical' ? String(d.choices[0] ?? '') : String(d.low);
  }
  return out;
}

export function StudyEnqueueForm({ study, onClose }: { study: StudySummary; onClose: () => void }) {
  const [values, setValues] = useState(() => initialValues(study));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<UiError | null>(null);
  const [done, setDone] = useState(0);
  const invalid = error?.field ? /(?:^|\.)params\.([^.]+)/.exec(error.field)?.[1] ?? null : null;

  async function submit(ev: FormEvent): Promise<void> {
    ev.preventDefault();
    if (busy) return;
    setError(null);
    const params: Record<string, ParamValue> = {};
    for (const [name, raw] of Object.entries(values)) if (raw.trim() !== '') params[name] = parseValue(raw);
    setBusy(true);
    try {
      await useStudies.getState().enqueue(study.id, params);
      setDone((n) => n + 1);
    } catch (err) {
      setError(toUiError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="panel study-enqueue" onSubmit={submit} noValidate data-testid="study-enqueue-form" aria-label="Enqueue a trial">
      <PanelHead title="Enqueue a trial" onClose={onClose} />
      <div className="enqueue-grid">
        {Object.entries(study.spec.space).map(([name, d]) => (
          <label className="field" key={name} title={d.when ? `Only when ${d.when.param} is ${d.when.equals.join(' or ')}; leave empty otherwise` : undefined}>
            <span>
              {name} <span className="muted">{d.type === 'categorical' ? d.choices.join(' | ') : `${d.low} … ${d.high}`}</span>
            </span>
            <input
              type="text"
              data-testid="enqueue-param"
              data-param={name}
              value={values[name] ?? ''}
              placeholder={d.when ? 'absent' : undefined}
              onChange={(e) => {
                const value = e.target.value;
                setValues((v) => ({ ...v, [name]: value }));
                if (invalid === name) setError(null);
              }}
              {...invalidMark(invalid === name)}
            />
          </label>
        ))}
      </div>
      {error && (
        <small className="field-error" data-testid="enqueue-error" role="alert">
          {error.message}
        </small>
      )}
      <div className="form-actions">
        <span className="muted" data-testid="enqueue-done" data-count={done}>
          {done > 0 ? `${done} trial${done > 1 ? 's' : ''} enqueued; they run before the sampler's next proposals.` : 'It runs before the sampler’s next proposals.'}
        </span>
        <button type="submit" className="button button-primary" data-testid="enqueue-submit" disabled={busy}>
          {busy ? 'Enqueuing…' : 'Enqueue'}
        </button>
      </div>
    </form>
  );
}
