/**
 * The wire protocol, in the spirit of VS Code's `IChannel { call, listen }`: requests and responses,
 * plus event subscriptions, over any transport that moves plain objects (an Electron MessagePort,
 * a WebSocket carrying JSON, or an in-memory pair in tests).
 */
import type { WireError } from '../errors';

export type ClientMessage =
  | { t: 'call'; id: number; method: string; input: unknown }
  | { t: 'listen'; event: string }
  | { t: 'unlisten'; event: string };

export type ServerMessage =
  | { t: 'result'; id: number; ok: true; output: unknown }
  | { t: 'result'; id: number; ok: false; error: WireError }
  | { t: 'event'; event: string; payload: unknown }
  /** A message that could not be read at all (no id to answer to). */
  | { t: 'error'; error: WireError };

/** Moves messages one way and hears them the other; knows nothing of methods. */
export interface Transport<Out = unknown> {
  send(msg: Out): void;
  onMessage(cb: (msg: unknown) => void): () => void;
  onClose(cb: () => void): () => void;
  close(): void;
}

/** What the core offers to faces besides methods: typed event subscriptions. */
export interface EventSource<E> {
  on<K extends keyof E>(event: K, cb: (payload: E[K]) => void): () => void;
}
