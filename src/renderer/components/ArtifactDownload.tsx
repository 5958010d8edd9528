/**
 * Downloads one run artifact. In a browser (`trainyard serve`) it is a link to the server's
 * authenticated artifact route, so large files stream; in the desktop app, which has no HTTP
 * server, the bytes come through the API (runs.artifactContent, capped in size) and are saved from
 * a blob.
 *
 * Test ids: `artifact-download` (data-mode: link or api), `artifact-download-error`.
 */
import type { Artifact } from '../../shared/contract';
import { api } from '../api/client';
import { connectionMode, readToken } from '../api/connect';
import { ApiDownloadButton } from './ApiDownloadButton';
import { base64ToBytes } from './model-data';

export function artifactUrl(id: string, token: string | null): string {
  return `/api/artifacts/${encodeURIComponent(id)}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

export function ArtifactDownload({ artifact }: { artifact: Artifact }) {
  if (connectionMode() === 'browser') {
    return (
      <a className="button button-small" href={artifactUrl(artifact.id, readToken())} download data-testid="artifact-download" data-mode="link">
        Download
      </a>
    );
  }
  return (
    <ApiDownloadButton
      label="Download"
      testId="artifact-download"
      read={() =>
        api()
          .runs.artifactContent({ id: artifact.id })
          .then((c) => ({ filename: c.filename, mime: c.mime, bytes: base64ToBytes(c.base64) }))
      }
    />
  );
}
