/**
 * A command's output as a job's events: stdout lines with the metric prefix and lines of
 * TRAINYARD_METRICS_FILE become metric points (each source with its own step counter for lines that
 * give none), the other lines become log lines within the log budget. The same on this machine and
 * on a cluster node, which writes the events into its events file instead of the job log.
 */
import type { WorkerEvent } from '../workers';
import { LogBudget } from './lines';
import { metricLineBody, parseMetricObject } from './metric-lines';

/** A longer output line keeps its first MAX_LINE_BYTES and says how long it was. */
export const MAX_LINE_BYTES = 64 * 1024;
/** Output lines kept in the job log per second, and per start of the job. */
export const LOG_LINES_PER_SECOND = 2000;
export const LOG_LINES_PER_START = 100_000;
/** After a stop is asked (the prune file written), how long a program has to see it before SIGTERM. */
export const STOP_ASK_MS = 1000;
/** Bad metric lines said in the log, per start; the rest are only counted. */
const BAD_LINES_SAID = 5;

export class CommandOutput {
  private badLines = 0;
  private readonly skippedKeys = new Set<string>();
  private readonly nextStep = { stdout: 0, file: 0 };
  private readonly budget = new LogBudget(LOG_LINES_PER_SECOND, LOG_LINES_PER_START);

  /**
   * `epochs`: the params' epoch count, for progress; `onPoints`: how many points each line gave
   * (a caller that writes them slower than they come pauses the output).
   */
  constructor(
    private readonly emit: (e: WorkerEvent) => void,
    private readonly epochs: number | null,
    private readonly onPoints: (n: number) => void = () => undefined,
  ) {}

  /** One line of the program's stdout or stderr. */
  line(stream: 'stdout' | 'stderr', line: string): void {
    const body = stream === 'stdout' ? metricLineBody(line) : null;
    if (body !== null) return this.metrics(body, 'stdout');
    if (this.budget.admit(this.note)) this.log(stream === 'stderr' ? 'warn' : 'info', line);
  }

  /** One line of TRAINYARD_METRICS_FILE. */
  fileLine(line: string): void {
    if (line.trim()) this.metrics(line, 'file');
  }

  /** The program ended: says what the log budget held back. */
  end(): void {
    this.budget.flush(this.note);
  }

  private readonly note = (message: string) => this.log('warn', message);

  private log(level: 'info' | 'warn', message: string): void {
    this.emit({ type: 'log', level, message, ts: Date.now() });
  }

  private metrics(text: string, source: 'stdout' | 'file'): void {
    const parsed = parseMetricObject(text, this.nextStep[source]);
    if (!parsed.ok) {
      if (++this.badLines <= BAD_LINES_SAID) this.log('warn', `A metric line ${source === 'file' ? 'in TRAINYARD_METRICS_FILE ' : ''}was skipped: ${parsed.error}: ${text.slice(0, 200)}`);
      return;
    }
    this.nextStep[source] = parsed.step + 1;
    const ts = Date.now();
    for (const p of parsed.points) this.emit({ type: 'metric', key: p.key, step: p.step, value: p.value, ts });
    for (const k of parsed.skipped) {
      if (this.skippedKeys.has(k)) continue;
      this.skippedKeys.add(k);
      this.log('warn', `Metric ${JSON.stringify(k)} is not a number; it is not recorded`);
    }
    if (this.epochs) this.emit({ type: 'progress', step: `step ${parsed.step}`, fraction: Math.min(1, (parsed.step + 1) / this.epochs), etaMs: null });
    this.onPoints(parsed.points.length);
  }
}

/** The epoch count a command's params give, for its progress bar; null without one. */
export function epochsOf(params: Record<string, unknown>): number | null {
  return typeof params.epochs === 'number' && params.epochs > 0 ? params.epochs : null;
}
