/**
 * Downloads a job's whole log as a text file. In a browser (`trainyard serve`) it is a link to the
 * server's authenticated log route, which streams it; in the desktop app the lines come through the
 * API page by page and are saved from a blob.
 *
 * Test ids: `log-download` (data-mode: link or api), `log-download-error`.
 */
import { useState } from 'react';
import { api } from '../api/client';
import { connectionMode, readToken } from '../api/connect';
import { downloadFile } from '../lib/download';
import { errorMessage } from '../lib/errors';

const PAGE = 10_000;

export function jobLogUrl(jobId: string, token: string | null): string {
  return `/api/jobs/${encodeURIComponent(jobId)}/log${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** The log as the server's route writes it: `<ISO time> <level> <message>` per line. */
async function logText(jobId: string): Promise<string> {
  const out: string[] = [];
  for (let afterId = 0; ; ) {
    const lines = await api().jobs.logs({ id: jobId, afterId, limit: PAGE });
    for (const l of lines) out.push(`${new Date(l.ts).toISOString()} ${l.level} ${l.message}\n`);
    if (lines.length < PAGE) return out.join('');
    afterId = lines[lines.length - 1].id;
  }
}

export function LogDownload({ jobId }: { jobId: string }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (connectionMode() === 'browser') {
    return (
      <a className="button button-small" href={jobLogUrl(jobId, readToken())} download={`job-${jobId}.log`} data-testid="log-download" data-mode="link">
        Download log
      </a>
    );
  }
  return (
    <>
      <button
        type="button"
        className="button button-small"
        disabled={busy}
        data-testid="log-download"
        data-mode="api"
        onClick={() => {
          setBusy(true);
          setError(null);
          logText(jobId)
            .then((text) => downloadFile({ filename: `job-${jobId}.log`, mime: 'text/plain', text }))
            .catch((err: unknown) => setError(errorMessage(err)))
            .finally(() => setBusy(false));
        }}
      >
        {busy ? 'Reading…' : 'Download log'}
      </button>
      {error && (
        <span className="field-error" data-testid="log-download-error">
          {error}
        </span>
      )}
    </>
  );
}
