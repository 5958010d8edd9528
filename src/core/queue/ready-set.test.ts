import { describe, expect, it } from 'vitest';
import { effectivePriority, effectiveRank } from './aging';
import { ReadySet, type ReadyEntry } from './ready-set';

const R = { gpus: 0, cpuSlots: 1, memoryMB: 1 };
const entry = (id: string, rank: number, createdAt: number): ReadyEntry => ({ id, kind: 'noop', rank, createdAt, resources: R, after: [], notBefore: null, sizeKey: '', cluster: null });

describe('aging', () => {
  it('raises one level per interval waited, up to high, and leaves urgent and high alone', () => {
    const hour = 3600_000;
    expect(effectivePriority('low', 0, hour)).toBe('low');
    expect(effectivePriority('low', hour - 1, hour)).toBe('low');
    expect(effectivePriority('low', hour, hour)).toBe('normal');
    expect(effectivePriority('low', 3 * hour, hour)).toBe('high');
    expect(effectivePriority('low', 100 * hour, hour)).toBe('high');
    expect(effectivePriority('normal', 5 * hour, hour)).toBe('high');
    expect(effectivePriority('high', 5 * hour, hour)).toBe('high');
    expect(effectivePriority('urgent', 5 * hour, hour)).toBe('urgent');
    expect(effectiveRank(3, 10 * hour, 0)).toBe(3); // aging off
  });
});

describe('ReadySet', () => {
  it('orders by effective priority, then first in; matches a full sort of the same entries over random sets', () => {
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let round = 0; round < 200; round++) {
      const set = new ReadySet();
      const all: ReadyEntry[] = [];
      const n = 1 + Math.floor(rand() * 30);
      for (let i = 0; i < n; i++) {
        const e = entry(`j${String(i).padStart(3, '0')}`, Math.floor(rand() * 4), Math.floor(rand() * 1000));
        all.push(e);
        set.add(e);
      }
      for (const e of all.filter(() => rand() < 0.2)) set.remove(e.id);
      const now = 1000 + Math.floor(rand() * 500);
      const aging = 100 + Math.floor(rand() * 400);
      const left = all.filter((e) => set.has(e.id));
      const expected = [...left]
        .sort((a, b) => effectiveRank(a.rank, now - a.createdAt, aging) - effectiveRank(b.rank, now - b.createdAt, aging) || a.createdAt - b.createdAt || a.rank - b.rank || a.id.localeCompare(b.id))
        .map((e) => e.id);
      expect([...set.ordered(now, aging)].map((e) => e.id)).toEqual(expected);
      expect(set.size).toBe(left.length);
    }
  });

  it('moves an entry when it is added again with another priority', () => {
    const set = new ReadySet();
    set.add(entry('a', 2, 1));
    set.add(entry('b', 2, 2));
    set.add({ ...entry('b', 0, 2) });
    expect([...set.ordered(3, 0)].map((e) => e.id)).toEqual(['b', 'a']);
    expect(set.size).toBe(2);
  });
});
