/**
 * Downloads one run artifact. In a browser (`trainyard serve`) it is a link to the server's
 * authenticated artifact route, so large files stream; in the desktop app, which has no HTTP
 * server, the bytes come through the API (runs.artifactContent, capped in size) and are saved from
 * a blob.
 *
 * Test ids: `artifact-download` (data-mode: link or api), `artifact-download-error`.
 */
import { useState } from 'react';
import type { Artifact } from '../../shared/contract';
import { api } from '../api/client';
import { connectionMode, readToken } from '../api/connect';
import { downloadFile } from '../lib/download';
import { errorMessage } from '../lib/errors';
import { base64ToBytes } from './model-data';

export function artifactUrl(id: string, token: string | null): string {
  return `/api/artifacts/${encodeURIComponent(id)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function ArtifactDownload({ artifact }: { artifact: Artifact }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (connectionMode() === 'browser') {
    return (
      <a className="button button-small" href={artifactUrl(artifact.id, readToken())} download data-testid="artifact-download" data-mode="link">
        Download
      </a>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button button-small"
        disabled={busy}
        data-testid="artifact-download"
        data-mode="api"
        onClick={() => {
          setBusy(true);
          setError(null);
          api()
            .runs.artifactContent({ id: artifact.id })
            .then((c) => downloadFile({ filename: c.filename, mime: c.mime, bytes: base64ToBytes(c.base64) }))
            .catch((err: unknown) => setError(errorMessage(err)))
            .finally(() => setBusy(false));
        }}
      >
        {busy ? 'Reading…' : 'Download'}
      </button>
      {error && (
        <span className="field-error" data-testid="artifact-download-error">
          {error}
        </span>
      )}
    </>
  );
}
