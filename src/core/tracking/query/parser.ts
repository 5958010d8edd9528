/**
 * Recursive descent over the tokens. Precedence, loosest first: OR, AND, NOT, then a comparison or
 * a parenthesised query, so `a or b and c` reads `a or (b and c)`, as in SQL.
 *
 *   query      := or? end
 *   or         := and ("or" and)*
 *   and        := unary ("and" unary)*
 *   unary      := "not" unary | "(" or ")" | comparison
 *   comparison := field op literal
 */
import { RunStatus } from '../../../shared/contract';
import { RUN_FIELDS, type Field, type Literal, type Operator, type QueryNode, type RunField } from './ast';
import { QuerySyntaxError } from './errors';
import { tokenize, type Token } from './lexer';

const SCOPES = ['params', 'metrics', 'tags'] as const;

/** Parses a query; an empty or blank query is `null` (every run). */
export function parseQuery(source: string): QueryNode | null {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token => tokens[at];
  const next = (): Token => tokens[at++];
  const fail = (token: Token, reason: string): never => {
    throw new QuerySyntaxError(source, token.column, reason);
  };
  const describe = (t: Token): string => (t.type === 'end' ? 'the end of the query' : t.type === 'string' ? JSON.stringify(t.text) : `"${t.text}"`);

  function or(): QueryNode {
    let left = and();
    while (peek().type === 'or') {
      next();
      left = { kind: 'or', left, right: and() };
    }
    return left;
  }

  function and(): QueryNode {
    let left = unary();
    while (peek().type === 'and') {
      next();
      left = { kind: 'and', left, right: unary() };
    }
    return left;
  }

  function unary(): QueryNode {
    const t = peek();
    if (t.type === 'not') {
      next();
      return { kind: 'not', operand: unary() };
    }
    if (t.type === '(') {
      next();
      if (peek().type === ')') fail(peek(), 'empty parentheses: expected a comparison inside');
      const inner = or();
      if (peek().type !== ')') fail(peek(), `expected ")" to close the "(" at column ${t.column}, found ${describe(peek())}`);
      next();
      return inner;
    }
    return comparison();
  }

  function comparison(): QueryNode {
    const f = next();
    if (f.type !== 'field') {
      return fail(f, `expected a field (params.*, metrics.*, tags.*, ${RUN_FIELDS.join(', ')}), found ${describe(f)}`);
    }
    const field = toField(f);
    const o = next();
    if (o.type !== 'op') return fail(o, `expected a comparison (= != < <= > >=) after ${f.text}, found ${describe(o)}`);
    const op = o.text as Operator;
    const v = next();
    const value = toLiteral(v, o);
    check(field, op, value, f, v);
    return { kind: 'compare', field, op, value, column: f.column };
  }

  function toField(t: Token): Field {
    const dot = t.text.indexOf('.');
    if (dot < 0) {
      if ((RUN_FIELDS as readonly string[]).includes(t.text)) return { scope: 'run', name: t.text as RunField };
      return fail(t, `unknown field "${t.text}": use params.<key>, metrics.<key>, tags.<key>, ${RUN_FIELDS.join(', ')}`);
    }
    const scope = t.text.slice(0, dot);
    const key = t.text.slice(dot + 1);
    if (!(SCOPES as readonly string[]).includes(scope)) {
      return fail(t, `unknown field "${t.text}": a key goes after params., metrics. or tags.`);
    }
    if (key === '') return fail(t, `"${t.text}" needs a key after the dot (${scope}.name)`);
    return { scope: scope as Field['scope'] & string, key } as Field;
  }

  function toLiteral(t: Token, op: Token): Literal {
    switch (t.type) {
      case 'string':
        return { type: 'string', value: t.text };
      case 'number': {
        const value = Number(t.text);
        if (!Number.isFinite(value)) fail(t, 'this number is too large');
        return { type: 'number', value };
      }
      case 'true':
      case 'false':
        return { type: 'boolean', value: t.type === 'true' };
      case 'field':
        return fail(t, `expected a value after "${op.text}", found ${describe(t)} (strings take double quotes: "${t.text}")`);
      default:
        return fail(t, `expected a value after "${op.text}", found ${describe(t)}`);
    }
  }

  /** Comparisons that can never match are mistakes: say so rather than return nothing. */
  function check(field: Field, op: Operator, value: Literal, f: Token, v: Token): void {
    if (field.scope === 'metrics' && value.type !== 'number') fail(v, `metrics are numbers: compare ${f.text} with a number`);
    if (field.scope === 'run') {
      if (value.type !== 'string') fail(v, `${field.name} is text: compare it with a string in double quotes`);
      if (field.name === 'status' && (op === '=' || op === '!=') && !RunStatus.options.includes(value.value as RunStatus)) {
        fail(v, `a run's status is one of ${RunStatus.options.join(', ')}`);
      }
    }
    if (value.type === 'boolean' && op !== '=' && op !== '!=') fail(v, 'true and false only compare with = or !=');
  }

  if (peek().type === 'end') return null;
  const node = or();
  const rest = peek();
  if (rest.type !== 'end') {
    fail(rest, rest.type === ')' ? 'this ")" has no matching "("' : `expected AND, OR or the end of the query, found ${describe(rest)}`);
  }
  return node;
}
