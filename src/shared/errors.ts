/**
 * The small set of typed errors every face understands. They cross the RPC as
 * `{ code, message, field? }` and are rebuilt on the other side, so a renderer can show
 * "Dataset not found" instead of a stack trace.
 */
export const ERROR_CODES = ['NotFound', 'InvalidInput', 'Conflict', 'Unavailable', 'Internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WireError {
  code: ErrorCode;
  message: string;
  /** For InvalidInput: the dotted path of the offending field (`spec.params.epochs`). */
  field?: string;
}

export class TrainyardError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = code;
  }
  toWire(): WireError {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export class NotFound extends TrainyardError {
  constructor(what: string, id: string) {
    super('NotFound', `${what} ${id} was not found`);
  }
}

export class InvalidInput extends TrainyardError {
  constructor(message: string, field?: string) {
    super('InvalidInput', message, field);
  }
}

export class Conflict extends TrainyardError {
  constructor(message: string) {
    super('Conflict', message);
  }
}

export class Unavailable extends TrainyardError {
  constructor(message: string) {
    super('Unavailable', message);
  }
}

/** Turns anything thrown into a wire error; unknown errors keep their message but not their stack. */
export function toWireError(err: unknown): WireError {
  if (err instanceof TrainyardError) return err.toWire();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'Internal', message: message || 'Unexpected error' };
}

export function fromWireError(w: WireError): TrainyardError {
  const code = (ERROR_CODES as readonly string[]).includes(w.code) ? w.code : 'Internal';
  return new TrainyardError(code, String(w.message ?? 'Unexpected error'), w.field);
}

/** One line for a person: "InvalidInput: spec.target: Required". */
export function describeError(err: unknown): string {
  if (err instanceof TrainyardError) {
    return err.field && !err.message.includes(err.field) ? `${err.field}: ${err.message}` : err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
