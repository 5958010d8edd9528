/**
 * The IPC bridge between the desktop window and the core: MessagePorts handed to the page, which
 * are the only way from the renderer to the core.
 *
 * The renderer asks for its port (a window message the preload turns into `trainyard:port-request`);
 * the main process checks who asks (our window's main frame, showing our own `app://` page), opens a
 * `MessageChannelMain`, serves the core's contract on one end and hands the other to the page with
 * `trainyard:port`. If a page never asks, it gets its port once it has finished loading. Every
 * message that later arrives on the port is checked again against the frame it was handed to.
 */
import { randomUUID } from 'node:crypto';
import { ipcMain, MessageChannelMain, type BrowserWindow, type IpcMainEvent, type MessagePortMain, type WebFrameMain } from 'electron';
import type { ApiHandlers, Events } from '../shared/contract';
import { serveConnection, type EventSource, type ServerMessage, type Transport } from '../shared/rpc';

export const PORT_CHANNEL = 'trainyard:port';
export const PORT_REQUEST_CHANNEL = 'trainyard:port-request';

export interface CoreFace {
  api: ApiHandlers;
  events: EventSource<Events>;
}

/** A transport over Electron's main-process end of a MessageChannel. */
export function mainPortTransport(port: MessagePortMain, accept: () => boolean): Transport<ServerMessage> {
  const closeCbs = new Set<() => void>();
  let closed = false;
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const cb of [...closeCbs]) cb();
    closeCbs.clear();
  };
  port.on('close', finish);
  return {
    send(msg) {
      if (!closed) port.postMessage(msg);
    },
    onMessage(cb) {
      const h = (e: Electron.MessageEvent) => {
        if (closed) return;
        if (!accept()) {
          // The page that held this port is gone or no longer ours: stop listening to it.
          port.close();
          finish();
          return;
        }
        cb(e.data);
      };
      port.on('message', h);
      return () => port.off('message', h);
    },
    onClose(cb) {
      closeCbs.add(cb);
      return () => closeCbs.delete(cb);
    },
    close() {
      port.close();
      finish();
    },
  };
}

/** Whether a URL is one of our own pages (the app protocol, or the dev server while developing). */
export type TrustedUrl = (url: string) => boolean;

/** Whether `frame` is the main frame of `win`, showing one of our pages. */
export function isOurMainFrame(win: BrowserWindow, frame: WebFrameMain | null | undefined, trusted: TrustedUrl): boolean {
  if (!frame || win.isDestroyed()) return false;
  const main = win.webContents.mainFrame;
  if (frame.detached || frame.parent !== null) return false;
  if (frame.processId !== main.processId || frame.routingId !== main.routingId) return false;
  return trusted(frame.url);
}

/** Ports one page may hold at once; asking for more closes the oldest. */
const MAX_PORTS_PER_PAGE = 8;

/**
 * Wires one window to the core. `core` resolves once the core has started; ports asked for before
 * then are handed over when it is ready. Every port closes when the page navigates away or the
 * window closes. Returns a function that disconnects the window.
 */
export function bridgeWindow(win: BrowserWindow, core: Promise<CoreFace>, trusted: TrustedUrl): () => void {
  const wc = win.webContents;
  const connections = new Set<{ close(): void }>();
  let handedThisLoad = false;

  const closeAll = () => {
    for (const c of [...connections]) c.close();
  };

  const handOver = () => {
    handedThisLoad = true;
    if (connections.size >= MAX_PORTS_PER_PAGE) [...connections][0]?.close();
    const { processId, routingId } = wc.mainFrame;
    const { port1, port2 } = new MessageChannelMain();
    const accept = () =>
      !win.isDestroyed() &&
      wc.mainFrame.processId === processId &&
      wc.mainFrame.routingId === routingId &&
      trusted(wc.mainFrame.url);
    const transport = mainPortTransport(port1, accept);
    let dispose: (() => void) | null = null;
    const connection = {
      close() {
        connections.delete(connection);
        dispose?.();
        transport.close();
      },
    };
    connections.add(connection);
    transport.onClose(() => connections.delete(connection));
    core.then(
      (face) => {
        if (!connections.has(connection) || !accept()) return connection.close();
        dispose = serveConnection({ handlers: face.api, events: face.events, transport });
        port1.start();
        // The nonce names this connection; the page needs nothing but the port.
        wc.postMessage(PORT_CHANNEL, randomUUID(), [port2]);
      },
      () => connection.close(),
    );
  };

  const onRequest = (event: IpcMainEvent) => {
    if (event.sender !== wc) return;
    if (!isOurMainFrame(win, event.senderFrame, trusted)) return;
    handOver();
  };
  const onStartNavigation = (details: Electron.Event<Electron.WebContentsDidStartNavigationEventParams>) => {
    if (!details.isMainFrame || details.isSameDocument) return;
    handedThisLoad = false;
    closeAll();
  };
  const onFinishLoad = () => {
    if (!handedThisLoad && isOurMainFrame(win, wc.mainFrame, trusted)) handOver();
  };

  ipcMain.on(PORT_REQUEST_CHANNEL, onRequest);
  wc.on('did-start-navigation', onStartNavigation);
  wc.on('did-finish-load', onFinishLoad);

  const disconnect = () => {
    ipcMain.off(PORT_REQUEST_CHANNEL, onRequest);
    if (!wc.isDestroyed()) {
      wc.off('did-start-navigation', onStartNavigation);
      wc.off('did-finish-load', onFinishLoad);
    }
    closeAll();
  };
  win.once('closed', disconnect);
  return disconnect;
}
