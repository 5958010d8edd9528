/**
 * Splits a byte stream into lines with bounded memory: a line longer than `maxLineBytes` keeps its
 * first `maxLineBytes` and says how long it was, so a program printing one endless line costs
 * `maxLineBytes`, not all it printed.
 */
export const TRUNCATED_MARKER = '… [line truncated:';

export class LineSplitter {
  private parts: Buffer[] = [];
  private kept = 0;
  /** Bytes of the current line, kept or not. */
  private total = 0;

  constructor(
    private readonly onLine: (line: string) => void,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl < 0) {
        this.take(chunk, start, chunk.length);
        return;
      }
      this.take(chunk, start, nl);
      this.emit();
      start = nl + 1;
    }
  }

  /** The last line, when the stream ended without a newline. */
  end(): void {
    if (this.total > 0) this.emit();
  }

  private take(chunk: Buffer, from: number, to: number): void {
    const n = to - from;
    if (n <= 0) return;
    this.total += n;
    const room = this.maxLineBytes - this.kept;
    if (room <= 0) return;
    const slice = chunk.subarray(from, from + Math.min(room, n));
    // A copy: the chunk's memory is the stream's to reuse, and a long kept slice would pin all of it.
    this.parts.push(Buffer.from(slice));
    this.kept += slice.length;
  }

  private emit(): void {
    let line = this.parts.length === 1 ? this.parts[0].toString('utf8') : Buffer.concat(this.parts).toString('utf8');
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (this.total > this.kept) line = `${line}${TRUNCATED_MARKER} ${this.total} bytes in all]`;
    this.parts = [];
    this.kept = 0;
    this.total = 0;
    this.onLine(line);
  }
}

/**
 * How many output lines reach the job log: at most `perSecond` (a token bucket, so a burst of that
 * size passes), at most `total` per start of the job. What is held back is counted and said in one
 * line when output slows down (or at the end), so the log says what it lacks.
 */
export class LogBudget {
  private tokens: number;
  private last = Date.now();
  private kept = 0;
  private dropped = 0;

  constructor(
    private readonly perSecond: number,
    private readonly total: number,
  ) {
    this.tokens = perSecond;
  }

  /** Whether this line may be logged; `note` is called first with a line about what was held back. */
  admit(note: (message: string) => void): boolean {
    const now = Date.now();
    this.tokens = Math.min(this.perSecond, this.tokens + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
    if (this.kept >= this.total || this.tokens < 1) {
      this.dropped++;
      return false;
    }
    if (this.dropped > 0) this.flush(note);
    this.tokens -= 1;
    this.kept++;
    return true;
  }

  /** Says what was held back since the last note, if anything. */
  flush(note: (message: string) => void): void {
    if (this.dropped === 0) return;
    const why = this.kept >= this.total ? `the log keeps at most ${this.total} lines per run of a command` : `output came faster than ${this.perSecond} lines/s`;
    note(`… ${this.dropped} line${this.dropped === 1 ? '' : 's'} of output not kept in the log (${why})`);
    this.dropped = 0;
  }
}
