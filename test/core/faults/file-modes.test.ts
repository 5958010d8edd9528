/**
 * What Trainyard keeps is private to its user: the data directory is 0700 and the files it writes
 * 0600 (the database and its -wal/-shm, dataset copies, the lock), and a directory an older version
 * left readable is tightened at start, with a log line saying so.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/core/app';
import { CORE_LOG_FILE } from '../../../src/core/log';
import { dataPaths } from '../../../src/core/paths';
import { createClient, createMemoryPair, serveConnection } from '../../../src/shared/rpc';
import { tempDirPerTest } from '../../helpers/tmp';

const tmp = tempDirPerTest();
const mode = (p: string) => (statSync(p).mode & 0o777).toString(8);

describe('file modes', () => {
  it('creates the data directory 0700 and its files 0600', async () => {
    const dataDir = join(tmp(), 'data');
    const core = await createApp({ dataDir, scheduler: false });
    await core.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' }, name: 'co2' });
    const paths = dataPaths(dataDir);
    expect(mode(dataDir)).toBe('700');
    for (const dir of [paths.datasets, paths.models, paths.logs, paths.checkpoints, paths.workers]) expect(mode(dir), dir).toBe('700');
    for (const file of [paths.db, `${paths.db}-wal`, `${paths.db}-shm`, paths.lock]) expect(mode(file), file).toBe('600');
    const copies = readdirSync(paths.datasets);
    expect(copies).toHaveLength(1);
    expect(mode(join(paths.datasets, copies[0]))).toBe('600');
    await core.close();
  });

  it('a trained model, its checkpoints and the log are private too, and a second start finds nothing to tighten', async () => {
    const dataDir = join(tmp(), 'data');
    const core = await createApp({ dataDir, systemSampleMs: 0 });
    const d = await core.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' }, name: 'co2' });
    // Through the contract, as a face calls it (defaults filled in by the schema).
    const [a, b] = createMemoryPair();
    serveConnection({ handlers: core.api, events: core.events, transport: a });
    const client = createClient(b);
    const job = await client.api.jobs.create({ spec: { kind: 'train', datasetId: d.id, target: 'CO2', model: 'mlp', params: { epochs: 3 } } });
    for (;;) {
      const j = await client.api.jobs.get({ id: job.id });
      if (['completed', 'failed', 'cancelled'].includes(j.status)) {
        expect(j.status, j.error ?? '').toBe('completed');
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    client.close();
    await core.close();
    const seen: string[] = [];
    const walk = (p: string) => {
      const st = lstatSync(p);
      seen.push(p);
      expect((st.mode & 0o777).toString(8), p).toBe(st.isDirectory() ? '700' : '600');
      if (st.isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    };
    walk(dataDir);
    expect(seen.some((p) => p.startsWith(dataPaths(dataDir).models) && p.endsWith('.json'))).toBe(true);
    const again = await createApp({ dataDir, scheduler: false });
    await again.close();
    const log = join(dataPaths(dataDir).logs, CORE_LOG_FILE);
    expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toMatch(/Tightened/);
  }, 120_000);

  it('tightens a data directory left readable by others, and says so in the core log', async () => {
    const dataDir = join(tmp(), 'data');
    const first = await createApp({ dataDir, scheduler: false });
    await first.close();
    const paths = dataPaths(dataDir);
    chmodSync(dataDir, 0o755);
    chmodSync(paths.datasets, 0o755);
    chmodSync(paths.db, 0o644);
    mkdirSync(join(dataDir, 'registry'), { recursive: true, mode: 0o755 });
    writeFileSync(join(dataDir, 'registry', 'credentials.json'), '{}', { mode: 0o644 });
    const core = await createApp({ dataDir, scheduler: false });
    expect(mode(dataDir)).toBe('700');
    expect(mode(paths.datasets)).toBe('700');
    expect(mode(join(dataDir, 'registry'))).toBe('700');
    expect(mode(join(dataDir, 'registry', 'credentials.json'))).toBe('600');
    expect(mode(paths.db)).toBe('600');
    await core.close();
    expect(readFileSync(join(paths.logs, CORE_LOG_FILE), 'utf8')).toMatch(/Tightened the modes of .*trainyard\.db/);
  });
});
