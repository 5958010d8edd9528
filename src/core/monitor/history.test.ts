import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirPerTest } from '../../../test/helpers/tmp';
import { openStore, type Store } from '../store';
import { MonitorHistoryStore, RESOLUTIONS, SLOTS } from './history';

const tmp = tempDirPerTest();
const stores: Store[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
});

function open(): { store: Store; history: MonitorHistoryStore; rows: () => number } {
  const store = openStore(join(tmp(), 'trainyard.db'));
  stores.push(store);
  return { store, history: new MonitorHistoryStore(store.raw), rows: () => store.raw.prepare('SELECT count(*) FROM monitor_history').pluck().get() as number };
}

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

describe('monitor history', () => {
  it('stays bounded: two days of samples every 5 s leave 3 rings of 360 buckets', () => {
    const { history, rows } = open();
    let ts = T0;
    for (; ts < T0 + 48 * HOUR; ts += 5000) history.add(ts, { cpu: (ts / 5000) % 100, gpu0_util: 50 });
    history.flush();
    expect(rows()).toBe(3 * SLOTS);
    const now = ts - 5000;
    for (const range of ['1h', '6h', '24h'] as const) {
      const h = history.read(range, now);
      const { rangeMs, bucketMs } = RESOLUTIONS[range];
      expect(h.bucketMs).toBe(bucketMs);
      expect(h.ts.length).toBeLessThanOrEqual(SLOTS);
      expect(h.ts.length).toBeGreaterThanOrEqual(SLOTS - 1);
      expect(h.ts.every((t) => t > now - rangeMs && t <= now)).toBe(true);
      expect([...h.ts].sort((a, b) => a - b)).toEqual(h.ts);
      expect(h.series.gpu0_util.every((v) => v === 50)).toBe(true);
    }
  });

  it('a bucket holds the mean of its samples; a series missing from some is the mean of those it has', () => {
    const { history } = open();
    history.add(T0, { cpu: 10, memory: 40 });
    history.add(T0 + 2000, { cpu: 20, memory: null });
    history.add(T0 + 4000, { cpu: 60 });
    // The next 10 s bucket: the first one is written.
    history.add(T0 + 10_000, { cpu: 5, memory: 50 });
    const h = history.read('1h', T0 + 10_000);
    expect(h.ts).toEqual([T0, T0 + 10_000]);
    expect(h.series.cpu).toEqual([30, 5]);
    expect(h.series.memory).toEqual([40, 50]);
    // The open bucket is read from memory; written only when it closes or at flush.
    expect(history.read('24h', T0 + 10_000).series.cpu).toEqual([23.75]);
  });

  it('survives a restart: what was flushed is read back, and a bucket the restart fell in goes on counting', async () => {
    const dir = tmp();
    const file = join(dir, 'trainyard.db');
    const first = openStore(file);
    const h1 = new MonitorHistoryStore(first.raw);
    h1.add(T0, { cpu: 12 });
    h1.add(T0 + 2000, { cpu: 12 });
    h1.flush();
    await first.close();
    const second = openStore(file);
    stores.push(second);
    const h2 = new MonitorHistoryStore(second.raw);
    expect(h2.read('6h', T0 + 3000).series.cpu).toEqual([12]);
    // Same 10 s bucket after the restart: the mean of all three samples, not of the last alone.
    h2.add(T0 + 4000, { cpu: 3 });
    h2.flush();
    expect(h2.read('1h', T0 + 5000).series.cpu).toEqual([9]);
    expect(second.raw.prepare("SELECT samples FROM monitor_history WHERE resolution = '1h'").pluck().get()).toBe(3);
  });

  it('a lap of the ring replaces the old bucket in the same slot, and the old one is no longer read', () => {
    const { history, rows } = open();
    history.add(T0, { cpu: 1 });
    history.add(T0 + HOUR, { cpu: 2 }); // same 1 h slot, one lap later
    history.add(T0 + HOUR + 10_000, { cpu: 3 });
    history.flush();
    const h = history.read('1h', T0 + HOUR + 10_000);
    expect(h.series.cpu).toEqual([2, 3]);
    expect(rows()).toBeLessThanOrEqual(3 * 3);
  });
});
