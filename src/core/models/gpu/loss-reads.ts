/**
 * How Trainyard's GPU trainers hand their losses to the fit loop: a step reads nothing back, and
 * the mean loss since the last read is read every READ_EVERY batches (asynchronously), so the
 * device runs ahead of the host between reads, while a cancel, the progress bar and a diverging
 * loss are still seen within a few batches.
 */
import type { Trainee } from '../train-loop';

/** Batches between two loss reads: few enough that a cancel or a NaN is noticed soon, many enough that the device rarely waits. */
export const READ_EVERY = 16;

/** The trainee's batch step and unread-loss read over a trainer's `step` (no read back) and its `takeMeanLoss` (the mean since the last). */
export function lossReadEvery(
  step: (order: Int32Array, from: number, to: number) => void | Promise<void>,
  takeMeanLoss: () => Promise<number>,
): Pick<Trainee, 'trainBatch' | 'unreadLoss'> {
  let sinceRead = 0;
  return {
    async trainBatch(order, from, to) {
      await step(order, from, to);
      if (++sinceRead < READ_EVERY) return null;
      sinceRead = 0;
      return takeMeanLoss();
    },
    unreadLoss() {
      sinceRead = 0;
      return takeMeanLoss();
    },
  };
}
