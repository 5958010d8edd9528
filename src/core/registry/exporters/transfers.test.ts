import { describe, expect, it } from 'vitest';
import type { TransferProgress } from '../../../shared/contract';
import { EventBus } from '../../events';
import { Transfers } from './transfers';

describe('transfers', () => {
  it('reports the total at once, throttles byte updates, and ends with one completed event', async () => {
    const bus = new EventBus();
    const seen: TransferProgress[] = [];
    bus.on('model.transfer', (p) => seen.push(p));
    const transfers = new Transfers(bus);
    const out = await transfers.run({ transferId: 't1', direction: 'push', target: 'h/r:t' }, async (t) => {
      t.total(1000);
      for (let i = 0; i < 100; i++) t.add(10);
      return 'done';
    });
    expect(out).toBe('done');
    // The start and the total at once, far fewer byte updates than adds, and one final event.
    expect(seen.slice(0, 2).map((p) => [p.state, p.bytesDone, p.bytesTotal])).toEqual([
      ['running', 0, 0],
      ['running', 0, 1000],
    ]);
    expect(seen.length).toBeLessThan(20);
    expect(seen.filter((p) => p.state !== 'running').map((p) => [p.state, p.bytesDone])).toEqual([['completed', 1000]]);
  });

  it('refuses a second transfer with the same id, and cancels by id', async () => {
    const bus = new EventBus();
    const last: TransferProgress[] = [];
    bus.on('model.transfer', (p) => last.push(p));
    const transfers = new Transfers(bus);
    let started: () => void = () => {};
    const running = new Promise<void>((r) => (started = r));
    const work = transfers.run({ transferId: 'same', direction: 'pull', target: 'h/r:t' }, async (t) => {
      started();
      await new Promise<void>((r) => t.signal.addEventListener('abort', () => r(), { once: true }));
      t.check();
    });
    await running;
    await expect(transfers.run({ transferId: 'same', direction: 'pull', target: 'x' }, async () => 1)).rejects.toThrow('A transfer with id same is already running');
    expect(transfers.cancel('same')).toBe(true);
    await expect(work).rejects.toThrow('The pull to h/r:t was cancelled');
    expect(last.at(-1)).toMatchObject({ state: 'cancelled', error: 'cancelled' });
    expect(transfers.cancel('same')).toBe(false);
  });
});
