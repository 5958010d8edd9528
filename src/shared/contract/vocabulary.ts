/**
 * Words every group of the contract shares: identifiers, times, statuses, priorities, and the
 * `method` helper that pairs an input schema with an output schema.
 */
import { z } from 'zod';

/** Sortable identifiers (ULID). */
export const Id = z.string().min(1).max(64);
/** UTC epoch milliseconds. */
export const Millis = z.number().int().nonnegative();

export const JobStatus = z.enum(['queued', 'running', 'completed', 'failed', 'cancelled']);
export type JobStatus = z.infer<typeof JobStatus>;

/** Highest first. The scheduler and the UI both read this order. */
export const Priority = z.enum(['urgent', 'high', 'normal', 'low']);
export type Priority = z.infer<typeof Priority>;
export const PRIORITY_ORDER: readonly Priority[] = ['urgent', 'high', 'normal', 'low'];

export const LogLevel = z.enum(['debug', 'info', 'warn', 'error']);
export type LogLevel = z.infer<typeof LogLevel>;

/** A scalar parameter value, as a user types it or a model family declares it. */
export const ParamValue = z.union([z.number(), z.string(), z.boolean()]);
export type ParamValue = z.infer<typeof ParamValue>;

/** A method of the API: its input schema and its output schema. */
export interface MethodSchema<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
}
export const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O): MethodSchema<I, O> => ({
  input,
  output,
});

export const Empty = z.object({}).strict().default({});
export const ById = z.object({ id: Id }).strict();
