/** What the registry tests share: a real core on a temp data directory, and linear runs trained through its queue. */
import { readdirSync } from 'node:fs';
import { createApp, type CoreApp } from '../../../src/core/app';
import type { Api, Job, TrainSpecInput } from '../../../src/shared/contract';
import { createClient, createMemoryPair, serveConnection, type Client } from '../../../src/shared/rpc';

export function connect(core: CoreApp): Client {
  const [a, b] = createMemoryPair();
  serveConnection({ handlers: core.api, events: core.events, transport: a });
  return createClient(b);
}

export async function startCore(dataDir: string): Promise<{ core: CoreApp; client: Client }> {
  const core = await createApp({ dataDir });
  return { core, client: connect(core) };
}

export async function waitForJob(api: Api, id: string): Promise<Job> {
  for (;;) {
    const j = await api.jobs.get({ id });
    if (['completed', 'failed', 'cancelled'].includes(j.status)) return j;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Trains a closed-form linear forecaster (seconds) and returns its run id. */
export async function trainLinear(api: Api, datasetId: string, over: Partial<TrainSpecInput> = {}): Promise<string> {
  const job = await api.jobs.create({ spec: { kind: 'train', datasetId, target: 'CO2', model: 'linear', ...over } as TrainSpecInput & { kind: 'train' } });
  const done = await waitForJob(api, job.id);
  if (done.status !== 'completed' || !done.runId) throw new Error(`training failed: ${done.error ?? done.status}`);
  return done.runId;
}

export function listBlobs(dataDir: string): string[] {
  try {
    return readdirSync(`${dataDir}/registry/blobs/sha256`).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
}
