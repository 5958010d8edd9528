import { describe, expect, it } from 'vitest';
import { prng } from '../../../test/helpers/rng';
import { SearchSpace, type SearchSpaceInput } from '../../shared/contract';
import { InvalidInput } from '../../shared/errors';
import { emptyRow, parseList, rowsToSpace, spaceFieldParam, spaceToRows } from './study-space';

/** A random space of every kind of parameter, conditions included. */
function randomSpace(rand: () => number): SearchSpaceInput {
  const space: SearchSpaceInput = {};
  const n = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < n; i++) {
    const name = `p${i}`;
    const kind = Math.floor(rand() * 3);
    const parent = i > 0 && rand() < 0.3 ? `p${Math.floor(rand() * i)}` : null;
    const when = parent ? { param: parent, equals: [rand() < 0.5 ? 'a' : 3] } : undefined;
    if (kind === 0) {
      const low = Math.round(rand() * 1000) / 1000 + 0.001;
      space[name] = { type: 'float', low, high: low + Math.round(rand() * 100) / 10, log: rand() < 0.5, ...(rand() < 0.3 ? { step: 0.5 } : {}), ...(when ? { when } : {}) };
    } else if (kind === 1) {
      const low = Math.floor(rand() * 10) + 1;
      space[name] = { type: 'int', low, high: low + Math.floor(rand() * 100), log: rand() < 0.5, step: rand() < 0.5 ? 1 : 2, ...(when ? { when } : {}) };
    } else {
      space[name] = { type: 'categorical', choices: ['a', 3, true, 'b c', 0.5].slice(0, 1 + Math.floor(rand() * 5)), ...(when ? { when } : {}) };
    }
  }
  return space;
}

describe('the space editor rows', () => {
  it('turn any space into rows and back into the same space (many seeds)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const space = SearchSpace.parse(randomSpace(prng(seed)));
      const back = SearchSpace.parse(rowsToSpace(spaceToRows(space)));
      expect(back).toEqual(space);
    }
  });

  it('reads typed lists: numbers as numbers, true/false as booleans, the rest as text', () => {
    expect(parseList(' 16, 32 ,adam, true,false, 1e-3,, ')).toEqual([16, 32, 'adam', true, false, 0.001]);
  });

  it('refuses what it cannot read, naming the parameter as the core does', () => {
    const row = { ...emptyRow('lr'), low: 'abc', high: '1' };
    expect(() => rowsToSpace([row])).toThrow(InvalidInput);
    try {
      rowsToSpace([row]);
    } catch (err) {
      expect((err as InvalidInput).field).toBe('spec.space.lr');
    }
    const unnamed = { ...emptyRow(''), low: '1', high: '2' };
    expect(() => rowsToSpace([{ ...emptyRow('a'), low: '1', high: '2' }, unnamed])).toThrow(/parameter 2 needs a name/);
    expect(() => rowsToSpace([{ ...emptyRow('a'), low: '1', high: '2' }, { ...emptyRow('a'), low: '1', high: '2' }])).toThrow(/used twice/);
  });

  it('finds the parameter an error names, with or without the spec prefix', () => {
    expect(spaceFieldParam('spec.space.lr')).toBe('lr');
    expect(spaceFieldParam('space.lr.when')).toBe('lr');
    expect(spaceFieldParam('spec.space.#1')).toBe('#1');
    expect(spaceFieldParam('spec.budget')).toBeNull();
    expect(spaceFieldParam(undefined)).toBeNull();
  });
});
