/**
 * Follows a JSON-lines file another machine appends to (over a shared filesystem): each read
 * returns the complete lines written since the last one; a line still being written waits for its
 * newline. Reads by offset, never by watching: inotify does not see writes made on an NFS client.
 */
import { open } from 'node:fs/promises';

export class JsonLinesTail<T> {
  private offset = 0;
  private partial = '';

  constructor(
    readonly path: string,
    /** A line that is not JSON (a node that died mid-write, then restarted): reported, skipped. */
    private readonly onBadLine: (line: string) => void,
  ) {}

  private queue: Promise<unknown> = Promise.resolve();

  /** Reads run one after another: two at once would both read from the same offset. */
  read(): Promise<T[]> {
    const next = this.queue.then(() => this.readNow());
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async readNow(): Promise<T[]> {
    let handle;
    try {
      handle = await open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return []; // the node has not started yet
      throw err;
    }
    const chunks: Buffer[] = [];
    try {
      const buf = Buffer.alloc(1 << 20);
      for (;;) {
        const { bytesRead } = await handle.read(buf, 0, buf.length, this.offset);
        if (bytesRead === 0) break;
        chunks.push(Buffer.from(buf.subarray(0, bytesRead)));
        this.offset += bytesRead;
      }
    } finally {
      await handle.close();
    }
    if (chunks.length === 0) return [];
    const text = this.partial + Buffer.concat(chunks).toString('utf8');
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    const out: T[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        this.onBadLine(line);
      }
    }
    return out;
  }
}
