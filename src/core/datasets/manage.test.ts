/**
 * Renaming and deleting datasets through the API of a real app (real SQLite, the queue's own job
 * rows): a delete is refused while a queued job trains on the dataset, and goes through once it ended.
 */
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import type { ErrorCode, TrainyardError } from '../../shared/errors';
import { createClient, createMemoryPair, serveConnection, type Client } from '../../shared/rpc';
import { createApp } from '../app';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The error a call rejects with over the contract, checked to carry the code given. */
async function rejection(p: Promise<unknown>, code: ErrorCode): Promise<TrainyardError> {
  const err = await p.then(
    () => new Error('expected a rejection'),
    (e: unknown) => e,
  );
  expect(err).toMatchObject({ code });
  return err as TrainyardError;
}

/** A real app with no scheduler (a job stays queued, as one waiting for a free slot does), called through the contract. */
async function app(): Promise<{ core: Client; dir: string }> {
  const t = tempDir();
  const app = await createApp({ dataDir: t.dir, scheduler: false });
  cleanups.push(t.cleanup, () => app.close());
  const [a, b] = createMemoryPair();
  serveConnection({ handlers: app.api, events: app.events, transport: a });
  return { core: createClient(b), dir: t.dir };
}

describe('dataset rename and delete', () => {
  it('refuses to delete a dataset a queued job trains on, and deletes it once the job ended', async () => {
    const { core, dir } = await app();
    const d = await core.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const job = await core.api.jobs.create({ spec: { kind: 'train', datasetId: d.id, target: 'CO2', model: 'linear' } });
    expect(job.status).toBe('queued');

    const err = await rejection(core.api.datasets.delete({ id: d.id }), 'Conflict');
    expect(err.message).toContain(job.id);
    expect(err.message).toContain('co2-concentration');
    expect((await core.api.datasets.list({})).map((x) => x.id)).toContain(d.id);

    await core.api.jobs.cancel({ id: job.id });
    const stored = readdirSync(join(dir, 'datasets')).filter((f) => f.startsWith(d.id));
    expect(stored).toHaveLength(1);
    const out = await core.api.datasets.delete({ id: d.id });
    expect(out).toEqual({ id: d.id, freedBytes: d.sizeBytes });
    expect((await core.api.datasets.list({})).map((x) => x.id)).not.toContain(d.id);
    expect(existsSync(join(dir, 'datasets', stored[0]))).toBe(false);
    // The ended job is still there, its spec naming the dataset it trained on.
    expect((await core.api.jobs.get({ id: job.id })).status).toBe('cancelled');
  });

  it('renames a dataset, refusing a name another dataset has', async () => {
    const { core } = await app();
    const a = await core.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    const b = await core.api.datasets.import({ source: { kind: 'sample', file: 'seattle-temperature-anomalies.csv' } });
    const renamed = await core.api.datasets.rename({ id: a.id, name: '  Mauna Loa CO2 ' });
    expect(renamed).toMatchObject({ id: a.id, name: 'Mauna Loa CO2', sha256: a.sha256 });
    expect((await core.api.datasets.get({ id: a.id })).name).toBe('Mauna Loa CO2');
    const err = await rejection(core.api.datasets.rename({ id: b.id, name: 'Mauna Loa CO2' }), 'Conflict');
    expect(err.message).toContain('Mauna Loa CO2');
  });

  it('says why a dataset cannot train: no numeric column, or too few rows', async () => {
    const { core, dir } = await app();
    const words = join(dir, 'words.csv');
    writeFileSync(words, 'when,word\n2024-01-01,a\n2024-01-02,b\n2024-01-03,c\n');
    const short = join(dir, 'short.csv');
    writeFileSync(short, 'when,load\n2024-01-01,1\n2024-01-02,2\n2024-01-03,3\n');
    const w = await core.api.datasets.import({ source: { kind: 'path', path: words } });
    const s = await core.api.datasets.import({ source: { kind: 'path', path: short } });
    const co2 = await core.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' } });
    expect(w.cannotTrain).toMatch(/no numeric column/);
    expect(s.cannotTrain).toMatch(/3 rows.*at least \d+/);
    expect(co2.cannotTrain).toBeNull();
  });

  it('profiles each numeric column as bucket means in file order', async () => {
    const { core, dir } = await app();
    const path = join(dir, 'ramp.csv');
    writeFileSync(path, ['t,up,note', ...Array.from({ length: 100 }, (_, i) => `${2000 + i},${i === 50 ? '' : i},x`)].join('\n') + '\n');
    const d = await core.api.datasets.import({ source: { kind: 'path', path } });
    const profile = await core.api.datasets.profile({ id: d.id, points: 10 });
    const up = profile.columns.find((c) => c.name === 'up');
    expect(profile.columns.map((c) => c.name)).not.toContain('note');
    expect(up?.values).toHaveLength(10);
    expect(up?.values[0]).toBeCloseTo(4.5);
    // Row 50 is missing: its bucket's mean is of the other nine.
    expect(up?.values[5]).toBeCloseTo(55);
    expect(up?.values[9]).toBeCloseTo(94.5);
  });
});
