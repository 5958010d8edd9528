/**
 * Registers a completed run (or a study's best trial) as the next version of a model: name
 * (suggested from the experiment or dataset), markdown description and tags. On success it links
 * to the model's page.
 *
 * Test ids: `register-dialog`, `register-name`, `register-description`, `register-tags`,
 * `register-error`, `register-submit`, `register-cancel`, `register-done` (data-model,
 * data-version), `register-open-model`.
 */
import { useState } from 'react';
import type { ModelVersion } from '../../shared/contract';
import { api } from '../api/client';
import { errorMessage } from '../lib/errors';
import { Dialog } from './Dialog';
import { ErrorBanner } from './ErrorBanner';
import { OpenModelButton } from './ModelBits';
import { isModelName, parseTags } from './model-data';

export function RegisterDialog({ source, suggestedName, onClose }: { source: { runId: string } | { studyId: string }; suggestedName: string; onClose(): void }) {
  const [name, setName] = useState(suggestedName);
  const [description, setDescription] = useState('');
  const [tagText, setTagText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<ModelVersion | null>(null);

  async function submit(): Promise<void> {
    const parsed = parseTags(tagText);
    if ('error' in parsed) return setError(parsed.error);
    if (!isModelName(name)) return setError('A model name is 1-100 lowercase letters, digits, ".", "_" or "-", starting with a letter or digit');
    setBusy(true);
    setError(null);
    try {
      setDone(await api().models.register({ name, ...source, description: description || undefined, tags: parsed.tags }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <Dialog
        title="Registered"
        testId="register-dialog"
        onClose={onClose}
        actions={
          <>
            <button type="button" className="button" onClick={onClose} data-testid="register-cancel">
              Close
            </button>
            <OpenModelButton name={done.model} onClose={onClose} testId="register-open-model" />
          </>
        }
      >
        <p data-testid="register-done" data-model={done.model} data-version={done.version}>
          Registered as <strong className="mono">{done.model}:{done.version}</strong>.
        </p>
      </Dialog>
    );
  }

  return (
    <Dialog
      title={'studyId' in source ? 'Register the best trial' : 'Register this run'}
      testId="register-dialog"
      busy={busy}
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose} disabled={busy} data-testid="register-cancel">
            Cancel
          </button>
          <button type="button" className="button button-primary" disabled={busy || !name} onClick={() => void submit()} data-testid="register-submit">
            {busy ? 'Registering…' : 'Register'}
          </button>
        </>
      }
    >
      <form
        className="dialog-form"
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <label className="field">
          <span>Model name</span>
          <input value={name} onChange={(e) => setName(e.target.value.trim())} maxLength={100} data-testid="register-name" autoFocus />
        </label>
        <label className="field">
          <span>Description (markdown)</span>
          <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={4} maxLength={100_000} data-testid="register-description" />
        </label>
        <label className="field">
          <span>Tags (key=value, comma separated)</span>
          <input value={tagText} onChange={(e) => setTagText(e.target.value)} placeholder="team=forecasting, stage=candidate" data-testid="register-tags" />
        </label>
      </form>
      {error && (
        <div data-testid="register-error">
          <ErrorBanner message={error} />
        </div>
      )}
    </Dialog>
  );
}
