/**
 * The serve token, kept in `<dataDir>/serve-token` (mode 0600) so that it survives a restart: a tab
 * opened on the URL of one start reconnects to the next. `--new-token` replaces it, for when the
 * URL has been shared too widely.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SERVE_TOKEN_FILE = 'serve-token';

const TOKEN_SHAPE = /^[0-9a-f]{64}$/;

export function serveTokenPath(dataDir: string): string {
  return join(dataDir, SERVE_TOKEN_FILE);
}

function readKept(file: string): string | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  // A file edited by hand into something else is replaced rather than trusted.
  return TOKEN_SHAPE.test(text) ? text : null;
}

/** The kept token, or a new one (32 random bytes in hex) written in its place when there is none or `renew` asks. */
export function serveToken(dataDir: string, opts: { renew?: boolean } = {}): string {
  const file = serveTokenPath(dataDir);
  const kept = opts.renew ? null : readKept(file);
  if (kept) {
    // Tighten a file whose mode was loosened since (a copy, a restore from backup).
    chmodSync(file, 0o600);
    return kept;
  }
  const token = randomBytes(32).toString('hex');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // Written beside and renamed over, so a crash never leaves half a token; created 0600 so it is never readable by others.
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${token}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
  return token;
}
