import { expect } from 'vitest';
import { InvalidInput } from '../../src/shared/errors';

/** The InvalidInput a call throws (fails the test when it throws something else or nothing). */
export function invalid(fn: () => unknown): InvalidInput {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInput);
    return err as InvalidInput;
  }
  throw new Error('expected an InvalidInput');
}
