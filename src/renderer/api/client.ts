/** The connection now in use. Stores call the core through `api()`; it fails clearly when offline. */
import type { Api } from '../../shared/contract';
import type { Client } from '../../shared/rpc/client';
import { Unavailable } from '../../shared/errors';

let current: Client | null = null;

export function setClient(client: Client | null): void {
  current = client;
}

export function currentClient(): Client | null {
  return current;
}

export function api(): Api {
  if (!current) throw new Unavailable('Not connected to Trainyard');
  return current.api;
}
