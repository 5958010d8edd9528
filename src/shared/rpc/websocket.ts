/**
 * A transport over a WebSocket carrying JSON text frames. Works with the browser's WebSocket and
 * with the `ws` package's client (both have `send`, `close` and `addEventListener`).
 */
import type { Transport } from './protocol';

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: 'message', cb: (ev: { data: unknown }) => void): void;
  addEventListener(type: 'close', cb: () => void): void;
  removeEventListener(type: 'message', cb: (ev: { data: unknown }) => void): void;
  removeEventListener(type: 'close', cb: () => void): void;
}

const OPEN = 1;

export function socketTransport(socket: SocketLike): Transport {
  return {
    send(msg) {
      if (socket.readyState === OPEN) socket.send(JSON.stringify(msg));
    },
    onMessage(cb) {
      const h = (ev: { data: unknown }) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(String(ev.data));
        } catch {
          parsed = { t: 'unparseable' };
        }
        cb(parsed);
      };
      socket.addEventListener('message', h);
      return () => socket.removeEventListener('message', h);
    },
    onClose(cb) {
      socket.addEventListener('close', cb);
      return () => socket.removeEventListener('close', cb);
    },
    close: () => socket.close(),
  };
}
