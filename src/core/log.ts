/**
 * The core log: pino JSON lines at `<dataDir>/logs/core.log`, rotated by size (10 MB, five kept).
 * What the core catches and does not rethrow (a promotion hook that failed, a batch of metrics it
 * could not write, a trial that failed) is written here with its context, so nothing fails
 * silently. The Electron window's core writes the same file under its userData dir. Callers pass
 * hosts, references and messages, never credentials.
 *
 * A line: `{"level":"error","time":1764763200000,"pid":123,"scope":"queue","message":"...",...context}`.
 */
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { dataPaths } from './paths';
import { rotatingFile, type RotatingFile } from './log-rotate';

export const CORE_LOG_FILE = 'core.log';
export const CORE_LOG_MAX_BYTES = 10 * 1024 * 1024;
export const CORE_LOG_KEEP = 5;

export type CoreLogLevel = 'info' | 'warn' | 'error';
export const CORE_LOG_LEVELS: readonly CoreLogLevel[] = ['info', 'warn', 'error'];

export type CoreLog = (level: CoreLogLevel, message: string, context?: Record<string, unknown>) => void;

interface Destination {
  write(line: string): void;
  /** Lets go of the file (a later line opens it again). */
  close(): void;
}

/** One logger per log file in this process, shared by every scope, with the destination it writes to. */
const roots = new Map<string, { logger: Logger; dest: Destination }>();

/** Writes through to the rotating file; when the disk refuses, says so on stderr (where an operator still looks) and goes on. */
function destination(file: string): Destination {
  let out: RotatingFile | null = null;
  return {
    close() {
      out?.close();
      out = null;
    },
    write(line) {
      try {
        out ??= rotatingFile(file, { maxBytes: CORE_LOG_MAX_BYTES, keep: CORE_LOG_KEEP });
        out.write(line);
      } catch (err) {
        out?.close();
        out = null;
        process.stderr.write(`trainyard: could not write the core log ${file}: ${err instanceof Error ? err.message : String(err)}; ${line}`);
      }
    },
  };
}

/** Errors in the context become their name, message and stack; JSON would make them `{}`. */
function plain(context: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(context)) out[k] = v instanceof Error ? pino.stdSerializers.err(v) : v;
  return out;
}

function rootLogger(file: string): Logger {
  let root = roots.get(file);
  if (!root) {
    const dest = destination(file);
    const logger = pino(
      {
        level: 'info',
        messageKey: 'message',
        base: { pid: process.pid },
        timestamp: pino.stdTimeFunctions.epochTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      dest,
    );
    root = { logger, dest };
    roots.set(file, root);
  }
  return root.logger;
}

/**
 * Closes the core log's file for a data directory: a closed core holds no file open there (a data
 * directory on a removable or full disk can then be unmounted). A line written later opens it again.
 */
export function closeCoreLog(dataDir: string): void {
  roots.get(coreLogPath(dataDir))?.dest.close();
}

export function coreLogPath(dataDir: string): string {
  return join(dataPaths(dataDir).logs, CORE_LOG_FILE);
}

export function coreLog(dataDir: string, scope: string): CoreLog {
  const file = coreLogPath(dataDir);
  let logger: Logger | null = null;
  return (level, message, context = {}) => {
    logger ??= rootLogger(file).child({ scope });
    logger[level](plain(context), message);
  };
}
