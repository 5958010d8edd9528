/**
 * Downloads a job's whole log as a text file. In a browser (`trainyard serve`) it is a link to the
 * server's authenticated log route, which streams it; in the desktop app the lines come through the
 * API page by page and are saved from a blob.
 *
 * Test ids: `log-download` (data-mode: link or api), `log-download-error`.
 */
import { api } from '../api/client';
import { connectionMode, readToken } from '../api/connect';
import { logFileLine } from '../../shared/log-file';
import { ApiDownloadButton } from './ApiDownloadButton';

const PAGE = 10_000;

export function jobLogUrl(jobId: string, token: string | null): string {
  return `/api/jobs/${encodeURIComponent(jobId)}/log${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

/** The log as the server's route writes it, one line per log line. */
async function logText(jobId: string): Promise<string> {
  const out: string[] = [];
  for (let afterId = 0; ; ) {
    const lines = await api().jobs.logs({ id: jobId, afterId, limit: PAGE });
    for (const l of lines) out.push(logFileLine(l));
    if (lines.length < PAGE) return out.join('');
    afterId = lines[lines.length - 1].id;
  }
}

export function LogDownload({ jobId }: { jobId: string }) {
  if (connectionMode() === 'browser') {
    return (
      <a className="button button-small" href={jobLogUrl(jobId, readToken())} download={`job-${jobId}.log`} data-testid="log-download" data-mode="link">
        Download log
      </a>
    );
  }
  return <ApiDownloadButton label="Download log" testId="log-download" read={async () => ({ filename: `job-${jobId}.log`, mime: 'text/plain', text: await logText(jobId) })} />;
}
