import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueueState, QueueStats } from '../../shared/contract';
import type { Client } from '../../shared/rpc/client';
import { setClient } from '../api/client';
import { STATS_MIN_INTERVAL_MS, useQueue } from './queue';

const STATE: QueueState = {
  paused: false,
  maxConcurrent: 2,
  running: 0,
  queued: 0,
  capacity: { gpus: 0, cpuSlots: 2, memoryMB: 4096 },
  inUse: { gpus: 0, cpuSlots: 0, memoryMB: 0 },
  agingMinutes: 60,
  maxPerKind: {},
};

/** A connection whose queue methods count their calls and answer with the count so far. */
function countingClient() {
  const calls = { state: 0, stats: 0 };
  const api = {
    queue: {
      state: async () => ({ ...STATE, running: ++calls.state }),
      stats: async (): Promise<QueueStats> => {
        calls.stats++;
        return {
          counts: { queued: 0, running: 0, completed: calls.stats, failed: 0, cancelled: 0 },
          meanWaitMs: null,
          meanRunMs: null,
          throughputPerHour: 0,
          perPriority: [],
        };
      },
    },
  };
  setClient({ api } as unknown as Client);
  return calls;
}

describe('queue stats refresh', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    setClient(null);
  });

  it('asks at most once per interval however many jobs change, and always catches up', async () => {
    const calls = countingClient();
    await useQueue.getState().loadStats();
    expect(calls.stats).toBe(1);

    // A drain: thousands of status changes inside one interval.
    for (let i = 0; i < 5000; i++) useQueue.getState().refreshStatsSoon();
    expect(calls.stats).toBe(1);
    await vi.advanceTimersByTimeAsync(STATS_MIN_INTERVAL_MS);
    expect(calls.stats).toBe(2);
    expect(calls.state).toBe(2);
    expect(useQueue.getState().stats?.counts.completed).toBe(2);
    expect(useQueue.getState().state?.running).toBe(2);

    // Quiet: nothing more is asked for.
    await vi.advanceTimersByTimeAsync(10 * STATS_MIN_INTERVAL_MS);
    expect(calls.stats).toBe(2);

    // A change long after the last request is fetched straight away (no needless wait).
    useQueue.getState().refreshStatsSoon();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.stats).toBe(3);
  });

  it('shows a failure in words and keeps the last stats', async () => {
    countingClient();
    await useQueue.getState().loadStats();
    const before = useQueue.getState().stats;
    setClient(null);
    await useQueue.getState().loadStats();
    expect(useQueue.getState().stats).toBe(before);
    expect(useQueue.getState().statsError).toMatch(/not connected/i);
  });
});
