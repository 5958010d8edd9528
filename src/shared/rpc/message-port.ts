/**
 * A transport over a DOM-style MessagePort (the port Electron's preload hands to the renderer).
 * Structured clone carries the objects; no JSON needed.
 */
import type { Transport } from './protocol';

export interface PortLike {
  postMessage(msg: unknown): void;
  addEventListener(type: 'message', cb: (ev: { data: unknown }) => void): void;
  removeEventListener(type: 'message', cb: (ev: { data: unknown }) => void): void;
  start?(): void;
  close(): void;
}

export function portTransport(port: PortLike): Transport {
  const closeCbs = new Set<() => void>();
  port.start?.();
  return {
    send: (msg) => port.postMessage(msg),
    onMessage(cb) {
      const h = (ev: { data: unknown }) => cb(ev.data);
      port.addEventListener('message', h);
      return () => port.removeEventListener('message', h);
    },
    onClose(cb) {
      closeCbs.add(cb);
      return () => closeCbs.delete(cb);
    },
    close() {
      port.close();
      closeCbs.forEach((cb) => cb());
    },
  };
}
