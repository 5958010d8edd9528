/**
 * The preload hands the page one MessagePort to the core, and nothing else: no contextBridge API,
 * no Node, no ipcRenderer in the page.
 *
 * - The page asks with a window message `'trainyard:port-request'` (from its own origin); we pass
 *   the request on to the main process, which checks the sender frame before answering.
 * - The main process answers with `'trainyard:port'` carrying the port; we post it to the page as a
 *   window message `'trainyard:port'` whose `ports[0]` is the port.
 */
import { ipcRenderer } from 'electron';

const PORT_CHANNEL = 'trainyard:port';
const PORT_REQUEST_CHANNEL = 'trainyard:port-request';

ipcRenderer.on(PORT_CHANNEL, (event) => {
  window.postMessage(PORT_CHANNEL, '*', event.ports);
});

window.addEventListener('message', (event) => {
  if (event.data === PORT_REQUEST_CHANNEL && event.origin === window.location.origin) {
    ipcRenderer.send(PORT_REQUEST_CHANNEL);
  }
});
