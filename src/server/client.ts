/**
 * Talks to a running `trainyard serve` over its WebSocket, with the same typed client as every face.
 * The CLI uses it when a server already owns the data directory (one writer per database).
 */
import WebSocket from 'ws';
import { Unavailable } from '../shared/errors';
import { createClient, type Client } from '../shared/rpc/client';
import { socketTransport, type SocketLike } from '../shared/rpc/websocket';
import { MAX_MESSAGE_BYTES } from './index';

/** `http://127.0.0.1:8642/?token=...` (or ws://) → `ws://127.0.0.1:8642/rpc?token=...`. */
export function rpcUrl(url: string, token: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Unavailable(`Not a server address: ${url}`);
  }
  if (u.protocol === 'http:') u.protocol = 'ws:';
  else if (u.protocol === 'https:') u.protocol = 'wss:';
  else if (u.protocol !== 'ws:' && u.protocol !== 'wss:') throw new Unavailable(`Not a server address: ${url}`);
  u.pathname = '/rpc';
  u.search = '';
  u.hash = '';
  u.searchParams.set('token', token);
  return u.toString();
}

export async function connectToServer(url: string, token: string, opts: { timeoutMs?: number } = {}): Promise<Client> {
  const target = rpcUrl(url, token);
  const where = new URL(target).host;
  const ws = new WebSocket(target, { maxPayload: MAX_MESSAGE_BYTES, handshakeTimeout: opts.timeoutMs ?? 10_000 });
  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      cleanup();
      // Aborting a handshake emits one more error; it is already reported.
      ws.on('error', () => undefined);
      ws.terminate();
      reject(err);
    };
    const onOpen = () => {
      cleanup();
      resolve();
    };
    const onError = (err: NodeJS.ErrnoException) =>
      fail(
        new Unavailable(
          err.code === 'ECONNREFUSED'
            ? `No Trainyard server is listening at ${where}`
            : `Cannot reach the Trainyard server at ${where}: ${err.message}`,
        ),
      );
    const onResponse = (_req: unknown, res: { statusCode?: number }) =>
      fail(
        new Unavailable(
          res.statusCode === 401
            ? `The Trainyard server at ${where} refused the token`
            : res.statusCode === 403
              ? `The Trainyard server at ${where} refused this origin`
              : `The Trainyard server at ${where} answered HTTP ${res.statusCode ?? '?'} instead of a WebSocket`,
        ),
      );
    const cleanup = () => {
      ws.off('open', onOpen);
      ws.off('error', onError);
      ws.off('unexpected-response', onResponse);
    };
    ws.on('open', onOpen);
    ws.on('error', onError);
    ws.on('unexpected-response', onResponse);
  });
  // After the handshake an error closes the socket, and the client rejects what is pending.
  ws.on('error', () => ws.terminate());
  return createClient(socketTransport(ws as unknown as SocketLike));
}
