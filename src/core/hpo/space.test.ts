import { describe, expect, it } from 'vitest';
import { InvalidInput } from '../../shared/errors';
import { activeParams, checkAssignment, contains, validateSpace } from './index';

/** The InvalidInput thrown by `fn`, so a test can check both the field and the message. */
function refusal(fn: () => unknown): InvalidInput {
  try {
    fn();
  } catch (err) {
    if (err instanceof InvalidInput) return err;
    throw err;
  }
  throw new Error('expected an InvalidInput');
}

describe('validateSpace', () => {
  it.each([
    ['low > high', { lr: { type: 'float', low: 1, high: 0.1 } }, 'space.lr', /low \(1\) is greater than high \(0.1\)/],
    ['log with low <= 0', { lr: { type: 'float', low: 0, high: 1, log: true } }, 'space.lr', /log scale needs low > 0/],
    ['int log with low <= 0', { units: { type: 'int', low: -2, high: 8, log: true } }, 'space.units', /log scale needs low > 0/],
    ['an empty categorical', { act: { type: 'categorical', choices: [] } }, 'space.act', /at least one choice/],
    ['a repeated choice', { act: { type: 'categorical', choices: ['relu', 'relu'] } }, 'space.act', /listed twice/],
    ['a step that does not divide the range', { d: { type: 'float', low: 0, high: 1, step: 0.3 } }, 'space.d', /step 0.3 does not divide/],
    ['an int step that does not divide the range', { n: { type: 'int', low: 0, high: 10, step: 3 } }, 'space.n', /step 3 does not divide/],
    ['log and step together', { lr: { type: 'float', low: 0.1, high: 1, log: true, step: 0.1 } }, 'space.lr', /log scale or a step/],
    ['a wrong type', { lr: { type: 'float', low: 'a', high: 1 } }, 'space.lr.low', /./],
    [
      'a condition on an unknown parent',
      { m: { type: 'float', low: 0, high: 1, when: { param: 'opt', equals: ['sgd'] } } },
      'space.m',
      /depends on "opt", which is not in the space/,
    ],
    [
      'a condition on a value the parent cannot take',
      {
        opt: { type: 'categorical', choices: ['adam', 'sgd'] },
        m: { type: 'float', low: 0, high: 1, when: { param: 'opt', equals: ['rmsprop'] } },
      },
      'space.m',
      /"opt" can never take the value "rmsprop"/,
    ],
    [
      'a condition on an int value off the parent grid',
      { n: { type: 'int', low: 0, high: 10, step: 2 }, m: { type: 'float', low: 0, high: 1, when: { param: 'n', equals: [3] } } },
      'space.m',
      /"n" can never take the value 3/,
    ],
    ['a parameter depending on itself', { a: { type: 'categorical', choices: [1, 2], when: { param: 'a', equals: [1] } } }, 'space.a', /itself/],
  ])('refuses %s, naming the parameter', (_, space, field, message) => {
    const err = refusal(() => validateSpace(space));
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
  });

  it('refuses a cycle of conditions and names a parameter on it', () => {
    const err = refusal(() =>
      validateSpace({
        a: { type: 'categorical', choices: [1, 2], when: { param: 'c', equals: [1] } },
        b: { type: 'categorical', choices: [1, 2], when: { param: 'a', equals: [1] } },
        c: { type: 'categorical', choices: [1, 2], when: { param: 'b', equals: [1] } },
      }),
    );
    expect(['space.a', 'space.b', 'space.c']).toContain(err.field);
    expect(err.message).toMatch(/cycle \(([abc]) -> [abc] -> [abc] -> \1\)/);
  });

  it('refuses an empty space', () => {
    expect(refusal(() => validateSpace({})).field).toBe('space');
  });

  it('orders parents before their children, whatever the order they were written in', () => {
    const space = validateSpace({
      scale: { type: 'float', low: 0, high: 1, when: { param: 'nesterov', equals: [true] } },
      nesterov: { type: 'categorical', choices: [true, false], when: { param: 'opt', equals: ['sgd'] } },
      opt: { type: 'categorical', choices: ['adam', 'sgd'] },
    });
    expect(space.params.map((p) => p.name)).toEqual(['opt', 'nesterov', 'scale']);
  });
});

describe('active parameters', () => {
  const space = validateSpace({
    opt: { type: 'categorical', choices: ['adam', 'sgd'] },
    momentum: { type: 'float', low: 0, high: 0.99, when: { param: 'opt', equals: ['sgd'] } },
    nesterov: { type: 'categorical', choices: [true, false], when: { param: 'opt', equals: ['sgd'] } },
    scale: { type: 'float', low: 0, high: 1, when: { param: 'nesterov', equals: [true] } },
    lr: { type: 'float', low: 1e-5, high: 1, log: true },
  });

  it('follows chains of conditions', () => {
    expect(activeParams(space, { opt: 'adam', lr: 0.1 }).sort()).toEqual(['lr', 'opt']);
    expect(activeParams(space, { opt: 'sgd', nesterov: false, momentum: 0.5, lr: 0.1 }).sort()).toEqual(['lr', 'momentum', 'nesterov', 'opt']);
    expect(activeParams(space, { opt: 'sgd', nesterov: true, momentum: 0.5, lr: 0.1, scale: 1 }).sort()).toEqual([
      'lr',
      'momentum',
      'nesterov',
      'opt',
      'scale',
    ]);
  });

  it('checks a given assignment: missing, inactive, unknown and out-of-range parameters are refused by name', () => {
    expect(() => checkAssignment(space, { opt: 'adam', lr: 0.1 })).not.toThrow();
    expect(refusal(() => checkAssignment(space, { opt: 'sgd', lr: 0.1, nesterov: false })).field).toBe('params.momentum');
    expect(refusal(() => checkAssignment(space, { opt: 'adam', lr: 0.1, momentum: 0.5 })).message).toMatch(/inactive/);
    expect(refusal(() => checkAssignment(space, { opt: 'adam', lr: 0.1, epochs: 3 })).message).toMatch(/not in the search space/);
    expect(refusal(() => checkAssignment(space, { opt: 'adam', lr: 2 })).field).toBe('params.lr');
  });

  it('knows which values a distribution can take', () => {
    expect(contains({ type: 'float', low: 0, high: 1, log: false, step: 0.1 }, 0.30000000000000004)).toBe(true);
    expect(contains({ type: 'float', low: 0, high: 1, log: false, step: 0.1 }, 0.35)).toBe(false);
    expect(contains({ type: 'int', low: 0, high: 10, log: false, step: 2 }, 4)).toBe(true);
    expect(contains({ type: 'int', low: 0, high: 10, log: false, step: 2 }, 5)).toBe(false);
    expect(contains({ type: 'int', low: 0, high: 10, log: false, step: 1 }, 2.5)).toBe(false);
    expect(contains({ type: 'categorical', choices: [1, 'a', true] }, '1')).toBe(false);
    expect(contains({ type: 'categorical', choices: [1, 'a', true] }, true)).toBe(true);
  });
});
