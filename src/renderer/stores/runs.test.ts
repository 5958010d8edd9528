import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../shared/errors';
import { compareRouteId, firstSortOrder, parseCompareRouteId, toQueryError } from './runs';

describe('toQueryError', () => {
  it('reads the position the core points at, whichever word it uses (columns are 1-based)', () => {
    for (const [message, position] of [
      ['Expected a value after "<" at position 17', 17],
      ['Unexpected token ")" (position: 4)', 4],
      ['Query syntax error at column 12: expected a value', 11],
      ['Unknown field "metricz.rmse" at offset 0', 0],
    ] as const) {
      expect(toQueryError(new InvalidInput(message, 'query'))).toEqual({ message, position });
    }
  });

  it('keeps the first line of the message: the caret drawing below it is redrawn by the view', () => {
    const e = toQueryError(new InvalidInput('Query syntax error at column 3: unexpected ")"\n  a )\n    ^', 'query'));
    expect(e).toEqual({ message: 'Query syntax error at column 3: unexpected ")"', position: 2 });
  });

  it('keeps the message and no position when there is none', () => {
    const e = toQueryError(new InvalidInput('Unknown metric key', 'query'));
    expect(e.position).toBeNull();
    expect(e.message).toMatch(/Unknown metric key/);
  });
});

describe('compare route', () => {
  it('round-trips the ids in the order picked and drops repeats and blanks', () => {
    const ids = ['01J0000000000000000000000B', '01J0000000000000000000000A'];
    expect(parseCompareRouteId(compareRouteId(ids))).toEqual(ids);
    expect(parseCompareRouteId('a,,b,a, ')).toEqual(['a', 'b']);
    expect(parseCompareRouteId(null)).toEqual([]);
  });
});

describe('the first click on a column', () => {
  it('sorts a metric best first: errors ascending, scores descending; anything else newest or largest first', () => {
    expect(firstSortOrder('metrics.test.rmse')).toBe('asc');
    expect(firstSortOrder('metrics.naive.val.mae')).toBe('asc');
    expect(firstSortOrder('metrics.test.r2')).toBe('desc');
    expect(firstSortOrder('created')).toBe('desc');
    expect(firstSortOrder('params.epochs')).toBe('desc');
  });
});
