import { InvalidInput } from '../../../shared/errors';

/**
 * A query the parser cannot read: an InvalidInput on the `query` field whose message names the
 * column and draws the query with a caret under it, so every face (CLI, UI) can show it as is.
 */
export class QuerySyntaxError extends InvalidInput {
  constructor(
    readonly source: string,
    /** 1-based column of the offending character. */
    readonly column: number,
    readonly reason: string,
  ) {
    // Newlines and tabs drawn as spaces keep the caret under the right character.
    super(`Syntax error in the query at column ${column}: ${reason}\n  ${source.replace(/\s/g, ' ')}\n  ${' '.repeat(column - 1)}^`, 'query');
  }
}
