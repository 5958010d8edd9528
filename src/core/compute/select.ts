/** Which backend a job runs on: the one the user forced, else the first candidate that starts. */
import type { BackendInfo } from '../../shared/contract';
import { InvalidInput, Unavailable } from '../../shared/errors';
import { BACKEND_CANDIDATES, type BackendCandidate } from './backends';

/** Every candidate with what was found on this machine, in order of preference. */
export async function detectBackends(
  candidates: readonly BackendCandidate[] = BACKEND_CANDIDATES,
): Promise<BackendInfo[]> {
  return Promise.all(
    candidates.map(async (c) => {
      try {
        const p = await c.probe();
        return { name: c.name, available: p.available, reason: p.available ? null : p.reason ?? 'not available' };
      } catch (err) {
        return { name: c.name, available: false, reason: err instanceof Error ? err.message : String(err) };
      }
    }),
  );
}

/** Other names users know the backends by: the npm packages, and what the GPU one runs on. */
const ALIASES: Record<string, string> = {
  cuda: 'tensorflow-gpu',
  'tfjs-node-gpu': 'tensorflow-gpu',
  'tfjs-node': 'tensorflow',
  dawn: 'webgpu',
};

/**
 * A backend forced for this job (the spec's `backend`, or the app's option the queue passes on),
 * else by TRAINYARD_BACKEND; undefined lets Trainyard choose.
 */
export function forcedBackend(fromTask?: string | null): string | undefined {
  const v = (fromTask ?? process.env.TRAINYARD_BACKEND ?? '').trim().toLowerCase();
  if (v === '' || v === 'auto') return undefined;
  return ALIASES[v] ?? v;
}

export interface ActiveBackend {
  name: string;
  device: string;
  /** Preferred backends that were skipped, with why: worth a log line. */
  skipped: { name: string; reason: string }[];
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Activates a backend in this process (the worker) and says which one and on what device. */
export async function selectBackend(
  forced?: string,
  candidates: readonly BackendCandidate[] = BACKEND_CANDIDATES,
): Promise<ActiveBackend> {
  const skipped: { name: string; reason: string }[] = [];
  if (forced !== undefined) {
    const c = candidates.find((x) => x.name === forced);
    if (!c) {
      throw new InvalidInput(
        `Unknown backend "${forced}"; known: ${candidates.map((x) => x.name).join(', ')}`,
        'backend',
      );
    }
    // Only the forced one is probed: the others (the WebGPU probe starts a process) would go unused.
    const [info] = await detectBackends([c]);
    if (!info.available) throw new Unavailable(`The ${forced} backend is not available here: ${info.reason}`);
    try {
      await c.activate();
    } catch (err) {
      throw new Unavailable(`The ${forced} backend failed to start: ${message(err)}`);
    }
    return { name: c.name, device: c.device(), skipped };
  }
  const backends = await detectBackends(candidates);
  for (const c of candidates) {
    const info = backends.find((b) => b.name === c.name)!;
    if (!info.available) {
      skipped.push({ name: c.name, reason: info.reason ?? 'not available' });
      continue;
    }
    try {
      await c.activate();
      return { name: c.name, device: c.device(), skipped };
    } catch (err) {
      skipped.push({ name: c.name, reason: message(err) });
    }
  }
  throw new Unavailable(
    `No compute backend could start: ${skipped.map((s) => `${s.name} (${s.reason})`).join('; ')}`,
  );
}
