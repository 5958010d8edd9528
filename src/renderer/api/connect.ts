/**
 * Opens the one connection the renderer has to the core, over whichever transport this window has:
 * - desktop (`app:` protocol): the preload hands over a MessagePort with a window message
 *   `'trainyard:port'`; we also ask for it (`'trainyard:port-request'`) in case it was sent before
 *   this script ran;
 * - browser (`trainyard serve`): a WebSocket to `/rpc`, authenticated by the token from the URL
 *   (kept in sessionStorage so a reload without it still works, and removed from the address bar).
 */
import { createClient, type Client } from '../../shared/rpc/client';
import { portTransport } from '../../shared/rpc/message-port';
import { socketTransport } from '../../shared/rpc/websocket';
import { Unavailable } from '../../shared/errors';

export const TOKEN_KEY = 'trainyard.token';
const PORT_MESSAGE = 'trainyard:port';
const PORT_REQUEST = 'trainyard:port-request';
const PORT_TIMEOUT_MS = 15_000;

export type ConnectionMode = 'desktop' | 'browser';

export function connectionMode(): ConnectionMode {
  return location.protocol === 'app:' ? 'desktop' : 'browser';
}

export function connect(): Promise<Client> {
  return connectionMode() === 'desktop' ? connectPort() : connectSocket();
}

function connectPort(): Promise<Client> {
  return new Promise<Client>((resolve, reject) => {
    const timer = window.setTimeout(() => {
      window.removeEventListener('message', onMessage);
      reject(new Unavailable('The desktop shell did not hand over a connection to Trainyard'));
    }, PORT_TIMEOUT_MS);
    function onMessage(ev: MessageEvent): void {
      const port = ev.ports?.[0];
      if (ev.data !== PORT_MESSAGE || !port) return;
      window.clearTimeout(timer);
      window.removeEventListener('message', onMessage);
      resolve(createClient(portTransport(port)));
    }
    window.addEventListener('message', onMessage);
    window.postMessage(PORT_REQUEST, '*');
  });
}

/** The access token: from the URL when it carries one (then remembered for this tab), else remembered. */
export function readToken(): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromUrl);
      // Keep the secret out of the address bar, history and screenshots.
      params.delete('token');
      const query = params.toString();
      history.replaceState(history.state, '', `${location.pathname}${query ? `?${query}` : ''}${location.hash}`);
    } catch {
      // Storage can be disabled; the token in the URL still works for this load.
    }
    return fromUrl;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function connectSocket(): Promise<Client> {
  const token = readToken();
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/rpc${token ? `?token=${encodeURIComponent(token)}` : ''}`;
  return new Promise<Client>((resolve, reject) => {
    let socket: WebSocket;
    try {
      socket = new WebSocket(url);
    } catch (err) {
      reject(new Unavailable(`Could not open a connection to ${location.host}: ${err instanceof Error ? err.message : String(err)}`));
      return;
    }
    const cleanup = () => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('error', onFail);
      socket.removeEventListener('close', onFail);
    };
    function onOpen(): void {
      cleanup();
      resolve(createClient(socketTransport(socket)));
    }
    function onFail(): void {
      cleanup();
      reject(
        new Unavailable(
          token
            ? `The server at ${location.host} did not accept the connection. Check that \`trainyard serve\` is running on the same data directory; if it was started with \`--new-token\`, open the URL it printed.`
            : 'This page has no access token. Open the URL that `trainyard serve` printed; it carries the token.',
        ),
      );
    }
    socket.addEventListener('open', onOpen);
    socket.addEventListener('error', onFail);
    socket.addEventListener('close', onFail);
  });
}
