import { describe, expect, it } from 'vitest';
import { pageTitle } from './titles';

describe('page titles', () => {
  it('names the view, and the item open in it in its short form', () => {
    expect(pageTitle('jobs', null)).toBe('Jobs · Trainyard');
    expect(pageTitle('jobs', '01JABCDEFGHJKMNPQRSTVWXYZ0')).toBe('Job xyz0 · Trainyard'.replace('xyz0', '01JABCDEFGHJKMNPQRSTVWXYZ0'.slice(-8).toLowerCase()));
    expect(pageTitle('compare', 'a,b,c')).toBe('Compare 3 runs · Trainyard');
    expect(pageTitle('models', 'co2-forecaster')).toBe('Model co2-forecaster · Trainyard');
    expect(pageTitle('settings', null)).toBe('Settings · Trainyard');
  });
});
