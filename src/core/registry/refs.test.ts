import { describe, expect, it } from 'vitest';
import { parseRef, versionRanges } from './refs';

describe('model references', () => {
  it('reads NAME, NAME:N and NAME@alias', () => {
    expect(parseRef('co2')).toEqual({ name: 'co2' });
    expect(parseRef('co2:7')).toEqual({ name: 'co2', version: 7 });
    expect(parseRef('co2.v2@champion')).toEqual({ name: 'co2.v2', alias: 'champion' });
  });

  it('refuses what is none of them', () => {
    for (const bad of ['co2:0', 'co2:x', 'co2@7', 'Co2', 'co2@', ':3', 'a/b']) expect(() => parseRef(bad), bad).toThrow(/not|no valid alias|no version number/);
  });

  it('says a model’s versions as ranges', () => {
    expect(versionRanges([3, 1, 2, 5, 7, 8])).toBe('1-3, 5, 7-8');
    expect(versionRanges([4])).toBe('4');
  });
});
