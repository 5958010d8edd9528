/** The state of the one connection to the core, and the way to (re)open it. */
import { create } from 'zustand';
import type { Client } from '../../shared/rpc/client';
import { connect, connectionMode, type ConnectionMode } from '../api/connect';
import { currentClient, setClient } from '../api/client';
import { errorMessage } from '../lib/errors';
import { bindClient } from './bind';

export type ConnectionStatus = 'connecting' | 'connected' | 'disconnected' | 'failed';

interface ConnectionState {
  status: ConnectionStatus;
  mode: ConnectionMode;
  error: string | null;
  /** Opens a connection; a no-op while one is open or opening. */
  start(): Promise<void>;
}

let unbind: (() => void) | null = null;
let opening = false;

export const useConnection = create<ConnectionState>((set) => ({
  status: 'connecting',
  mode: connectionMode(),
  error: null,

  async start() {
    if (currentClient() || opening) return;
    opening = true;
    set({ status: 'connecting', error: null });
    let client: Client;
    try {
      client = await connect();
    } catch (err) {
      opening = false;
      set({ status: 'failed', error: errorMessage(err) });
      return;
    }
    opening = false;
    unbind?.();
    setClient(client);
    unbind = bindClient(client);
    set({ status: 'connected', error: null });
    void client.closed.then(() => {
      if (currentClient() !== client) return;
      unbind?.();
      unbind = null;
      setClient(null);
      set({ status: 'disconnected', error: null });
    });
  },
}));

/** Reconnect: a browser opens a new socket; the desktop window reloads to get a fresh port. */
export function reconnect(): void {
  if (useConnection.getState().mode === 'desktop') {
    location.reload();
    return;
  }
  void useConnection.getState().start();
}
