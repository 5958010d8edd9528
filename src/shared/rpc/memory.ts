/**
 * An in-memory transport pair: what one end sends, the other hears, after a structured clone, so
 * tests see exactly what a real wire would carry (no shared object references).
 */
import type { Transport } from './protocol';

export function createMemoryPair(): [Transport, Transport] {
  const make = () => ({
    message: new Set<(m: unknown) => void>(),
    close: new Set<() => void>(),
  });
  const a = make();
  const b = make();
  let closed = false;
  const end = (self: ReturnType<typeof make>, other: ReturnType<typeof make>): Transport => ({
    send(msg) {
      if (closed) return;
      const copy = structuredClone(msg);
      queueMicrotask(() => other.message.forEach((cb) => cb(copy)));
    },
    onMessage(cb) {
      self.message.add(cb);
      return () => self.message.delete(cb);
    },
    onClose(cb) {
      self.close.add(cb);
      return () => self.close.delete(cb);
    },
    close() {
      if (closed) return;
      closed = true;
      queueMicrotask(() => [...a.close, ...b.close].forEach((cb) => cb()));
    },
  });
  return [end(a, b), end(b, a)];
}
