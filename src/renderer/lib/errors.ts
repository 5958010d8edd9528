/** API errors in words for a person: the typed error's message, never a stack, and fields by their names, not their paths. */
import { TrainyardError, describeError } from '../../shared/errors';
import { humanMessage } from './field-names';

export interface UiError {
  message: string;
  /** For InvalidInput: the dotted path of the offending field, e.g. `spec.params.epochs`. */
  field?: string;
  code?: string;
}

export function toUiError(err: unknown): UiError {
  if (err instanceof TrainyardError) {
    return { message: humanMessage(err.message, err.field), field: err.field, code: err.code };
  }
  return { message: describeError(err) || 'Something went wrong' };
}

export function errorMessage(err: unknown): string {
  return toUiError(err).message;
}
