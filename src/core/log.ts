/**
 * The core log: JSON lines under `<dataDir>/logs/core.jsonl`. What the core catches and does not
 * rethrow (a promotion hook that failed, a frequency it could not infer, a transfer that failed) is
 * written here with its context, so nothing fails silently. Callers pass hosts, references and
 * messages, never credentials.
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataPaths } from './paths';

export const CORE_LOG_FILE = 'core.jsonl';

export type CoreLog = (level: 'info' | 'warn' | 'error', message: string, context?: Record<string, unknown>) => void;

export function coreLog(dataDir: string, scope: string): CoreLog {
  const dir = dataPaths(dataDir).logs;
  const file = join(dir, CORE_LOG_FILE);
  return (level, message, context = {}) => {
    try {
      mkdirSync(dir, { recursive: true });
      appendFileSync(file, `${JSON.stringify({ ts: Date.now(), level, scope, message, ...context })}\n`, { mode: 0o600 });
    } catch (err) {
      // The log itself failed (a full disk): say so where an operator still looks.
      process.stderr.write(`trainyard: could not write the core log ${file}: ${err instanceof Error ? err.message : String(err)}; ${message}\n`);
    }
  };
}
