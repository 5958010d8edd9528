/**
 * The state of the one connection to the core, and the way to (re)open it. In a browser a lost or
 * refused connection is retried on its own with backoff (0.5 s doubling to 10 s, with jitter so that
 * many tabs do not knock at once), so a tab left open across a server restart comes back by itself:
 * the token is kept in the data dir, so the new server accepts it. The desktop window's port dies
 * only with the engine, so there the banner offers a reload instead.
 */
import { create } from 'zustand';
import type { Client } from '../../shared/rpc/client';
import { connect, connectionMode, readToken, type ConnectionMode } from '../api/connect';
import { currentClient, setClient } from '../api/client';
import { retryDelayMs } from '../lib/backoff';
import { errorMessage } from '../lib/errors';
import { bindClient } from './bind';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'failed';

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 10_000;

interface ConnectionState {
  status: ConnectionStatus;
  mode: ConnectionMode;
  error: string | null;
  /** Failed attempts since the connection was last open. */
  attempts: number;
  /** When the next automatic attempt starts (epoch ms); null when none is planned. */
  retryAt: number | null;
  /** Opens a connection; a no-op while one is open or opening. */
  start(): Promise<void>;
}

let unbind: (() => void) | null = null;
let opening = false;
let retryTimer: number | null = null;

function cancelRetry(): void {
  if (retryTimer !== null) window.clearTimeout(retryTimer);
  retryTimer = null;
}

export const useConnection = create<ConnectionState>((set, get) => {
  /** Plans the next attempt (browser only): the desktop window cannot get a new port without a reload. */
  const planRetry = () => {
    cancelRetry();
    if (get().mode === 'desktop') return;
    // A page opened without the token would only be refused again: the banner says to open the printed URL.
    if (!readToken()) return;
    const attempts = get().attempts + 1;
    const delay = retryDelayMs(attempts, { firstMs: FIRST_RETRY_MS, maxMs: MAX_RETRY_MS });
    set({ attempts, retryAt: Date.now() + delay });
    retryTimer = window.setTimeout(() => {
      retryTimer = null;
      void get().start();
    }, delay);
  };

  return {
    status: 'connecting',
    mode: connectionMode(),
    error: null,
    attempts: 0,
    retryAt: null,

    async start() {
      if (currentClient() || opening) return;
      cancelRetry();
      opening = true;
      // After a loss the page keeps saying it is disconnected (and stays greyed) while it retries.
      if (get().status !== 'disconnected') set({ status: 'connecting' });
      set({ retryAt: null });
      let client: Client;
      try {
        client = await connect();
      } catch (err) {
        opening = false;
        set({ status: get().status === 'disconnected' ? 'disconnected' : 'failed', error: errorMessage(err) });
        planRetry();
        return;
      }
      opening = false;
      unbind?.();
      setClient(client);
      unbind = bindClient(client);
      set({ status: 'connected', error: null, attempts: 0, retryAt: null });
      void client.closed.then(() => {
        if (currentClient() !== client) return;
        unbind?.();
        unbind = null;
        setClient(null);
        set({ status: 'disconnected', error: null });
        planRetry();
      });
    },
  };
});

/** Reconnect now: a browser opens a new socket; the desktop window reloads to get a fresh port. */
export function reconnect(): void {
  if (useConnection.getState().mode === 'desktop') {
    location.reload();
    return;
  }
  void useConnection.getState().start();
}
