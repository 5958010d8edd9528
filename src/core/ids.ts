/** Sortable identifiers: ULIDs, monotonic within one process so ids created in one millisecond still sort. */
import { monotonicFactory } from 'ulid';

const next = monotonicFactory();
export const newId = (): string => next();
