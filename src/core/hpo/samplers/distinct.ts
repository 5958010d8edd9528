/**
 * Parallel workers must not be handed the same point. A proposal that equals a trial in flight is
 * drawn again from the next random stream, a few times; after that the space is too small to
 * spread over and the duplicate is accepted rather than looping forever.
 */
import { assignmentKey } from '../space';
import type { Assignment, TrialView } from '../types';

const MAX_ATTEMPTS = 64;

export function distinctFromInFlight(trials: readonly TrialView[], draw: (attempt: number) => Assignment): Assignment {
  let inFlight: Set<string> | null = null;
  for (const t of trials) {
    if (t.status !== 'running') continue;
    (inFlight ??= new Set()).add(assignmentKey(t.params));
  }
  let proposal = draw(0);
  if (!inFlight) return proposal;
  for (let attempt = 1; attempt < MAX_ATTEMPTS && inFlight.has(assignmentKey(proposal)); attempt++) proposal = draw(attempt);
  return proposal;
}
