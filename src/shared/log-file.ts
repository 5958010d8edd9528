/** A job's log as a downloaded file writes it, whichever face saves it: one line per log line. */
import type { LogLine } from './contract';

export function logFileLine(l: Pick<LogLine, 'ts' | 'level' | 'message'>): string {
  return `${new Date(l.ts).toISOString()} ${l.level} ${l.message}\n`;
}
