import { describe, expect, it } from 'vitest';
import { JobStatus } from '../../shared/contract';
import { Conflict } from '../../shared/errors';
import { assertRetryable, assertTransition, canTransition } from './lifecycle';

describe('job lifecycle', () => {
  it('allows exactly the documented transitions', () => {
    const allowed = JobStatus.options.flatMap((from) => JobStatus.options.filter((to) => canTransition(from, to)).map((to) => `${from}->${to}`));
    expect(allowed.sort()).toEqual(['queued->cancelled', 'queued->running', 'running->cancelled', 'running->completed', 'running->failed', 'running->queued'].sort());
  });

  it('an invalid transition is a Conflict with a clear message', () => {
    expect(() => assertTransition('J1', 'completed', 'cancelled')).toThrow(Conflict);
    expect(() => assertTransition('J1', 'completed', 'cancelled')).toThrow('Job J1 is completed; it cannot be cancelled');
  });

  it('only failed and cancelled jobs can be retried', () => {
    expect(() => assertRetryable('J', 'failed')).not.toThrow();
    expect(() => assertRetryable('J', 'cancelled')).not.toThrow();
    for (const s of ['queued', 'running', 'completed'] as const) expect(() => assertRetryable('J', s)).toThrow(Conflict);
  });
});
