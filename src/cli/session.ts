/**
 * How a CLI command reaches the core. If a Trainyard process owns the data directory and serves
 * the API, the command talks to it over its WebSocket (two schedulers never run on one directory).
 * Otherwise the command starts the core in-process and talks to it through the same contract, over
 * an in-memory transport, so inputs are validated exactly as they are for the UI.
 */
import { createApp, type CoreApp } from '../core/app';
import { readLock } from '../core/lock';
import { connectToServer } from '../server/client';
import type { Api, EventName, Events } from '../shared/contract';
import { Unavailable } from '../shared/errors';
import { createClient, createMemoryPair, serveConnection, type Client } from '../shared/rpc';

export interface Session {
  api: Api;
  on<E extends EventName>(event: E, cb: (payload: Events[E]) => void): () => void;
  /** True when this process owns the data directory (no server was running). */
  local: boolean;
  /** The in-process core, when `local`. */
  core: CoreApp | null;
  close(): Promise<void>;
}

export async function openSession(dataDir: string, opts: { scheduler: boolean }): Promise<Session> {
  const deadline = Date.now() + 5000;
  for (;;) {
    const owner = readLock(dataDir);
    if (owner?.url && owner.token) {
      const client = await connectToServer(owner.url, owner.token);
      return remoteSession(client);
    }
    if (!owner) break;
    // Another short-lived command holds the directory; it will be done in a moment.
    if (Date.now() > deadline) throw new Unavailable(`The data directory ${dataDir} is in use by Trainyard process ${owner.pid}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  const core = await createApp({ dataDir, scheduler: opts.scheduler });
  const [a, b] = createMemoryPair();
  const stop = serveConnection({ handlers: core.api, events: core.events, transport: a });
  const client = createClient(b);
  return {
    api: client.api,
    on: client.on,
    local: true,
    core,
    async close() {
      stop();
      client.close();
      await core.close();
    },
  };
}

function remoteSession(client: Client): Session {
  return {
    api: client.api,
    on: client.on,
    local: false,
    core: null,
    async close() {
      client.close();
    },
  };
}
