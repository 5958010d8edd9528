/**
 * The GPU probe's process entry (see probe.ts): asks Dawn for an adapter, sends what it found to its
 * parent (Electron's parentPort in a utilityProcess, the IPC channel of a fork), and exits.
 */
import { requestAdapterInfo } from './backends';
import type { ProbeAnswer } from './probe';

type Port = { postMessage(m: unknown): void };

function answer(message: ProbeAnswer): void {
  const parentPort = (process as unknown as { parentPort?: Port }).parentPort;
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

requestAdapterInfo().then(
  (info) => answer({ info }),
  (err: unknown) => answer({ error: err instanceof Error ? err.message : String(err) }),
).finally(() => {
  // Dawn keeps threads alive; the answer is out, so end here rather than wait for them.
  setTimeout(() => process.exit(0), 50);
});
