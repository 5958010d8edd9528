/**
 * The faces' side: a typed `Api` proxy (`api.jobs.create(...)`) and event subscriptions over any
 * transport. Errors come back as the same typed classes the core threw.
 */
import { contract, type Api, type EventName, type Events } from '../contract';
import { Unavailable, fromWireError, type WireError } from '../errors';
import type { ClientMessage, Transport } from './protocol';

export interface Client {
  api: Api;
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void;
  close(): void;
  /** Resolves when the transport closes. */
  closed: Promise<void>;
}

export function createClient(transport: Transport<ClientMessage>): Client {
  let nextId = 1;
  let isClosed = false;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => (resolveClosed = r));

  transport.onMessage((raw) => {
    const msg = raw as { t?: string; id?: number; ok?: boolean; output?: unknown; error?: WireError; event?: string; payload?: unknown };
    if (msg.t === 'result' && typeof msg.id === 'number') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.output);
      else p.reject(fromWireError(msg.error ?? { code: 'Internal', message: 'Unknown error' }));
    } else if (msg.t === 'event' && typeof msg.event === 'string') {
      for (const cb of listeners.get(msg.event) ?? []) cb(msg.payload);
    }
  });
  transport.onClose(() => {
    isClosed = true;
    for (const p of pending.values()) p.reject(new Unavailable('The connection to Trainyard was closed'));
    pending.clear();
    resolveClosed();
  });

  const call = (method: string, input: unknown) =>
    new Promise<unknown>((resolve, reject) => {
      if (isClosed) return reject(new Unavailable('The connection to Trainyard is closed'));
      const id = nextId++;
      pending.set(id, { resolve, reject });
      transport.send({ t: 'call', id, method, input });
    });

  const api = Object.fromEntries(
    Object.entries(contract).map(([group, methods]) => [
      group,
      Object.fromEntries(Object.keys(methods).map((name) => [name, (input: unknown) => call(`${group}.${name}`, input)])),
    ]),
  ) as unknown as Api;

  return {
    api,
    on(event, cb) {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
        if (!isClosed) transport.send({ t: 'listen', event });
      }
      set.add(cb as (p: unknown) => void);
      return () => {
        set!.delete(cb as (p: unknown) => void);
        if (set!.size === 0) {
          listeners.delete(event);
          if (!isClosed) transport.send({ t: 'unlisten', event });
        }
      };
    },
    close() {
      transport.close();
    },
    closed,
  };
}
