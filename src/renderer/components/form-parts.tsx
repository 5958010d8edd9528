/**
 * What every form panel shares: its head with a close button, how a field is marked invalid, and
 * the state behind both (what the form is busy with, the last error and the control it is about).
 */
import { useState } from 'react';
import { toUiError, type UiError } from '../lib/errors';

/** Spread on a control the core's InvalidInput points at: marked for the eye and for screen readers. */
export function invalidMark(on: boolean): { 'aria-invalid'?: true; className?: string } {
  return on ? { 'aria-invalid': true, className: 'invalid' } : {};
}

/** A form panel's title with the × that closes it. */
export function PanelHead({ title, onClose }: { title: string; onClose: () => void }) {
  return (
    <div className="panel-head">
      <h2>{title}</h2>
      <button type="button" className="link-button" onClick={onClose} aria-label="Close">
        ×
      </button>
    </div>
  );
}

/** A form's footer: a note on what submitting does, Cancel, and the submit button, which says when it is at work. */
export function FormActions({
  note,
  onCancel,
  cancelTestId,
  submitTestId,
  busy,
  submitting,
  label,
  busyLabel,
}: {
  note: string;
  onCancel: () => void;
  cancelTestId?: string;
  submitTestId: string;
  /** The form is at work (any kind): the submit button is disabled. */
  busy: boolean;
  /** The work is this submit: the button shows `busyLabel`. */
  submitting: boolean;
  label: string;
  busyLabel: string;
}) {
  return (
    <div className="form-actions">
      <span className="muted">{note}</span>
      <button type="button" className="button" data-testid={cancelTestId} onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" data-testid={submitTestId} disabled={busy}>
        {submitting ? busyLabel : label}
      </button>
    </div>
  );
}

export interface FormFeedback<C extends string, B extends string> {
  /** What the form is doing (importing, submitting), or null; the controls are disabled meanwhile. */
  busy: B | null;
  error: UiError | null;
  /** The control the error is about, marked and (in some forms) with the message beside it. */
  invalid: C | null;
  setInvalid(control: C | null): void;
  /** Shows an error on the control its InvalidInput field names, else on `fallback`. */
  fail(err: unknown, fallback?: C | null): void;
  clear(): void;
  /** Runs one piece of async work as `kind` (none while another runs); its error goes to `fail`. */
  run(kind: B, task: () => Promise<void>, fallback?: C | null): Promise<void>;
}

/** `controlFor` maps an InvalidInput's field path (`spec.params.epochs`) to the form's control. */
export function useFormFeedback<C extends string, B extends string>(controlFor: (field: string | undefined) => C | null): FormFeedback<C, B> {
  const [busy, setBusy] = useState<B | null>(null);
  const [error, setError] = useState<UiError | null>(null);
  const [invalid, setInvalid] = useState<C | null>(null);

  function fail(err: unknown, fallback: C | null = null): void {
    const e = toUiError(err);
    setError(e);
    setInvalid(controlFor(e.field) ?? fallback);
  }
  function clear(): void {
    setError(null);
    setInvalid(null);
  }
  async function run(kind: B, task: () => Promise<void>, fallback: C | null = null): Promise<void> {
    if (busy) return;
    clear();
    setBusy(kind);
    try {
      await task();
    } catch (err) {
      fail(err, fallback);
    } finally {
      setBusy(null);
    }
  }
  return { busy, error, invalid, setInvalid, fail, clear, run };
}
