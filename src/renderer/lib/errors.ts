/** API errors in words for a person: the typed error's message, never a stack. */
import { TrainyardError, describeError } from '../../shared/errors';

export interface UiError {
  message: string;
  /** For InvalidInput: the dotted path of the offending field, e.g. `spec.params.epochs`. */
  field?: string;
  code?: string;
}

export function toUiError(err: unknown): UiError {
  if (err instanceof TrainyardError) {
    return { message: describeError(err), field: err.field, code: err.code };
  }
  return { message: describeError(err) || 'Something went wrong' };
}

export function errorMessage(err: unknown): string {
  return toUiError(err).message;
}
