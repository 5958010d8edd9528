/**
 * A download in the desktop app, which has no HTTP server to link to: a button that reads the file
 * through the API, saves it from a blob, and says why when reading fails.
 *
 * Test ids: the given one (data-mode="api") and `<it>-error`.
 */
import { useState } from 'react';
import { downloadFile } from '../lib/download';
import { errorMessage } from '../lib/errors';

export type DownloadedFile = Parameters<typeof downloadFile>[0];

export function ApiDownloadButton({ label, testId, read }: { label: string; testId: string; read: () => Promise<DownloadedFile> }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        className="button button-small"
        disabled={busy}
        data-testid={testId}
        data-mode="api"
        onClick={() => {
          setBusy(true);
          setError(null);
          read()
            .then(downloadFile)
            .catch((err: unknown) => setError(errorMessage(err)))
            .finally(() => setBusy(false));
        }}
      >
        {busy ? 'Reading…' : label}
      </button>
      {error && (
        <span className="field-error" data-testid={`${testId}-error`}>
          {error}
        </span>
      )}
    </>
  );
}
