/**
 * Comlink endpoints over process IPC. Comlink expects `postMessage` + `addEventListener('message')`;
 * a child process has `send` + `on('message')` (node `child_process` with advanced serialization, or
 * Electron's `utilityProcess` with `parentPort`). These adapters wrap comlink traffic in the `rpc`
 * channel of the envelope so worker events can share the same pipe.
 */
import type { Endpoint } from 'comlink';
import type { Envelope } from './protocol';

type Listener = EventListenerOrEventListenerObject;

function dispatch(l: Listener, data: unknown) {
  const ev = { data } as MessageEvent;
  if (typeof l === 'function') l(ev);
  else l.handleEvent(ev);
}

/** Something that carries envelopes both ways (either side of the pipe). */
export interface Pipe {
  send(msg: Envelope): void;
  onMessage(cb: (msg: Envelope) => void): () => void;
}

export function comlinkEndpoint(pipe: Pipe): Endpoint {
  const offs = new Map<Listener, () => void>();
  return {
    postMessage: (m: unknown) => pipe.send({ ch: 'rpc', m }),
    addEventListener: (_type: string, l: Listener) => {
      offs.set(
        l,
        pipe.onMessage((env) => {
          if (env && env.ch === 'rpc') dispatch(l, env.m);
        }),
      );
    },
    removeEventListener: (_type: string, l: Listener) => {
      offs.get(l)?.();
      offs.delete(l);
    },
  };
}

/**
 * The worker side's pipe: Electron's `process.parentPort` where it exists (utilityProcess),
 * else node's `process.send` / `process.on('message')` (child_process.fork).
 */
export function parentPipe(): Pipe {
  const parentPort = (process as unknown as { parentPort?: { postMessage(m: unknown): void; on(e: 'message', cb: (e: { data: unknown }) => void): void; off(e: 'message', cb: (e: { data: unknown }) => void): void } }).parentPort;
  if (parentPort) {
    return {
      send: (msg) => parentPort.postMessage(msg),
      onMessage(cb) {
        const h = (e: { data: unknown }) => cb(e.data as Envelope);
        parentPort.on('message', h);
        return () => parentPort.off('message', h);
      },
    };
  }
  if (!process.send) throw new Error('The Trainyard worker must be started by the Trainyard core');
  return {
    send: (msg) => {
      // A parent that died leaves no channel; the worker exits on 'disconnect' anyway.
      if (process.connected) process.send!(msg);
    },
    onMessage(cb) {
      const h = (m: unknown) => cb(m as Envelope);
      process.on('message', h);
      return () => process.off('message', h);
    },
  };
}
