/**
 * Leftovers of writes a killed core never finished (a partial dataset copy, a staging folder, 0-byte
 * files) are swept when the next core starts and takes the lock, with a log line listing them. Real
 * files stay, and a process that only reads (no scheduler) leaves the tree alone.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../src/core/app';
import { CORE_LOG_FILE } from '../../../src/core/log';
import { dataPaths } from '../../../src/core/paths';
import { tempDirPerTest } from '../../helpers/tmp';

const tmp = tempDirPerTest();

describe('temp files at start', () => {
  it('sweeps *.tmp, *.partial* and 0-byte leftovers, keeps real files, and logs what it removed', async () => {
    const dataDir = tmp();
    const first = await createApp({ dataDir, scheduler: false });
    const real = await first.api.datasets.import({ source: { kind: 'sample', file: 'co2-concentration.csv' }, name: 'co2' });
    await first.close();
    const paths = dataPaths(dataDir);
    const leftovers = [
      join(paths.datasets, '01JTMP.csv.tmp'),
      join(paths.datasets, 'empty.csv'),
      join(paths.models, '.01JRUN.partial', 'model.json'),
      join(dataDir, 'registry', '.01JBLOB.partial'),
      join(dataDir, 'registry', 'exports', 'm.partial-ab12cd34', 'card.json'),
      join(dataDir, 'incoming', '01JPULL', 'layer'),
    ];
    for (const file of leftovers) {
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, file.endsWith('empty.csv') || file.endsWith('layer') ? '' : 'x'.repeat(24 * 1024));
    }
    const keep = join(dataDir, 'registry', 'blobs', 'sha256-kept');
    mkdirSync(join(keep, '..'), { recursive: true });
    writeFileSync(keep, 'a blob');

    // A short read-only command does not sweep: it runs no jobs, and the sweep belongs to the owner that does.
    const reader = await createApp({ dataDir, scheduler: false });
    await reader.close();
    expect(existsSync(leftovers[0])).toBe(true);

    const core = await createApp({ dataDir });
    for (const file of leftovers) expect(existsSync(file), file).toBe(false);
    expect(existsSync(join(paths.models, '.01JRUN.partial'))).toBe(false);
    expect(existsSync(keep)).toBe(true);
    expect((await core.api.datasets.preview({ id: real.id, limit: 2 })).rows).toHaveLength(2);
    await core.close();
    const logged = readFileSync(join(paths.logs, CORE_LOG_FILE), 'utf8');
    expect(logged).toMatch(/Removed 6 leftover/);
    expect(logged).toContain('01JTMP.csv.tmp');
  });
});
