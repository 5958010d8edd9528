/**
 * The publishing part's lines in the core log (JSON lines under `<dataDir>/logs/`). Callers pass
 * hosts, references and error messages, never credentials: nothing here can see a password.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from '../../paths';

export type PublishLog = (level: 'info' | 'warn' | 'error', message: string, context?: Record<string, unknown>) => void;

export const CORE_LOG_FILE = 'core.jsonl';

export function publishLog(dataDir: string): PublishLog {
  const dir = dataPaths(dataDir).logs;
  return (level, message, context = {}) => {
    try {
      mkdirSync(dir, { recursive: true });
      appendFileSync(join(dir, CORE_LOG_FILE), `${JSON.stringify({ ts: Date.now(), level, scope: 'registry.publish', message, ...context })}\n`);
    } catch (err) {
      // A log that cannot be written must not fail the transfer it describes; say so where a person sees it.
      process.stderr.write(`trainyard: could not write the core log in ${dir}: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  };
}
