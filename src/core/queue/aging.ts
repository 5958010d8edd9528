/**
 * Aging: a queued job is raised one priority level for every `agingMs` it has waited, up to `high`.
 * So a low job submitted behind a stream of normal ones starts within about two aging intervals, but
 * `urgent` stays the user's own word: aging never makes a job urgent.
 */
import { PRIORITY_ORDER, type Priority } from '../../shared/contract';

/** The highest level aging reaches (rank 1 = high). */
const AGING_CEILING_RANK = 1;

export const DEFAULT_AGING_MINUTES = 60;

export function effectiveRank(rank: number, waitedMs: number, agingMs: number): number {
  if (rank <= AGING_CEILING_RANK || agingMs <= 0) return rank;
  const boost = Math.floor(Math.max(0, waitedMs) / agingMs);
  return Math.max(AGING_CEILING_RANK, rank - boost);
}

export function effectivePriority(priority: Priority, waitedMs: number, agingMs: number): Priority {
  return PRIORITY_ORDER[effectiveRank(PRIORITY_ORDER.indexOf(priority), waitedMs, agingMs)];
}
