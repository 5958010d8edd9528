/**
 * Follows the file named by TRAINYARD_METRICS_FILE: polled (file watching misses appends on some
 * file systems and across containers), read from where the last read stopped, cut into bounded lines.
 */
import { open } from 'node:fs/promises';
import { LineSplitter } from './lines';

const POLL_MS = 250;
/** At most this much is read per poll, so a burst is taken in steps and the core stays responsive. */
const READ_BYTES = 1024 * 1024;

export class MetricsFileTail {
  private offset = 0;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> = Promise.resolve();
  private readonly lines: LineSplitter;

  constructor(
    private readonly path: string,
    onLine: (line: string) => void,
    private readonly onError: (err: unknown) => void,
    maxLineBytes: number,
  ) {
    this.lines = new LineSplitter(onLine, maxLineBytes);
  }

  start(): void {
    this.timer = setInterval(() => {
      this.reading = this.reading.then(() => this.read(false));
    }, POLL_MS);
  }

  /** Reads what is left to the end of the file, then stops. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.reading;
    await this.read(true);
    this.lines.end();
  }

  private async read(toEnd: boolean): Promise<void> {
    let file;
    try {
      file = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.onError(err);
      return;
    }
    try {
      const buf = Buffer.alloc(READ_BYTES);
      for (;;) {
        const { bytesRead } = await file.read(buf, 0, READ_BYTES, this.offset);
        if (bytesRead === 0) return;
        this.offset += bytesRead;
        this.lines.push(buf.subarray(0, bytesRead));
        if (!toEnd) return;
      }
    } catch (err) {
      this.onError(err);
    } finally {
      await file.close();
    }
  }
}
