import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../../test/helpers/tmp';
import { SettingsRepository, openStore } from '../index';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

describe('settings repository', () => {
  it('answers undefined for an unset key, keeps JSON values and overwrites, across a reopen', async () => {
    const t = tempDir();
    cleanup = t.cleanup;
    const file = join(t.dir, 'trainyard.db');
    const store = openStore(file);
    const settings = new SettingsRepository(store.db);
    expect(await settings.get('queue.limits')).toBeUndefined();
    await settings.set('queue.limits', { maxConcurrent: 2 });
    await settings.set('queue.limits', { maxConcurrent: 3, maxPerKind: { train: 1 } });
    await settings.set('queue.paused', true);
    await store.close();

    const reopened = openStore(file);
    const again = new SettingsRepository(reopened.db);
    expect(await again.get('queue.limits')).toEqual({ maxConcurrent: 3, maxPerKind: { train: 1 } });
    expect(await again.get('queue.paused')).toBe(true);
    await reopened.close();
  });
});
