/**
 * Cards written before cards recorded the rows' frequency: the schema takes it from the stored
 * dataset instead, and says none (logging why) when the dataset cannot be read.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tmp';
import { DatasetCatalog } from '../datasets';
import { EventBus } from '../events';
import { openStore, type Store } from '../store';
import { Tracking } from '../tracking';
import { WorkerPool, forkLauncher } from '../workers';
import { CORE_LOG_FILE, coreLog } from '../log';
import { datasetFrequency } from './register';

let store: Store | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  await store?.close();
  cleanup?.();
});

describe('the frequency of an older card', () => {
  it('is inferred from the stored dataset, or null with a log line when it cannot be', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    store = openStore(join(t.dir, 'trainyard.db'));
    const datasets = new DatasetCatalog(store, t.dir);
    const deps = { store, bus: new EventBus(), tracking: new Tracking(store, { dataDir: t.dir }), datasets, pool: new WorkerPool({ launcher: forkLauncher }), dataDir: t.dir };
    const log = coreLog(t.dir, 'registry');
    const co2 = await datasets.import({ kind: 'sample', file: 'co2-concentration.csv' });
    expect(await datasetFrequency(deps, log, co2.id, { target: 'CO2', timeColumn: 'Date' })).toBe('monthly');
    expect(await datasetFrequency(deps, log, co2.id, { target: 'CO2', timeColumn: null })).toBeNull();
    expect(await datasetFrequency(deps, log, co2.id, { target: 'no such column', timeColumn: 'Date' })).toBeNull();
    const line = JSON.parse(readFileSync(join(t.dir, 'logs', CORE_LOG_FILE), 'utf8').trim().split('\n').at(-1)!) as { level: string; message: string; datasetId: string; error: string };
    expect(line).toMatchObject({ level: 'warn', datasetId: co2.id });
    expect(line.message).toMatch(/could not infer the frequency/);
    expect(line.error).toMatch(/no such column/);
  });
});
