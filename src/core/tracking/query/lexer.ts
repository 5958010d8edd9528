/**
 * Tokens of the runs query language. Every token keeps its column (1-based) so a syntax error can
 * point at it. Field names may contain dots and dashes (`metrics.test.rmse`, `params.hidden-units`).
 */
import { QuerySyntaxError } from './errors';

export type TokenType = 'field' | 'string' | 'number' | 'true' | 'false' | 'and' | 'or' | 'not' | 'op' | '(' | ')' | 'end';

export interface Token {
  type: TokenType;
  /** The source text (for strings: the decoded value; for `end`: empty). */
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
}

const KEYWORDS: Record<string, TokenType> = { and: 'and', or: 'or', not: 'not', true: 'true', false: 'false' };
const OPERATORS = ['<=', '>=', '!=', '==', '=', '<', '>'] as const;

const isFieldStart = (c: string) => /[A-Za-z_]/.test(c);
const isFieldChar = (c: string) => /[A-Za-z0-9_.\-/:]/.test(c);
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const column = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ type: c, text: c, column });
      i++;
    } else if (c === '"') {
      let value = '';
      let j = i + 1;
      for (;;) {
        if (j >= source.length) throw new QuerySyntaxError(source, column, 'this string is never closed (a closing " is missing)');
        const d = source[j];
        if (d === '"') break;
        if (d === '\\') {
          const next = source[j + 1];
          if (next !== '"' && next !== '\\') throw new QuerySyntaxError(source, j + 1, 'only \\" and \\\\ may be escaped inside a string');
          value += next;
          j += 2;
        } else {
          value += d;
          j++;
        }
      }
      tokens.push({ type: 'string', text: value, column });
      i = j + 1;
    } else if (OPERATORS.some((op) => source.startsWith(op, i))) {
      const op = OPERATORS.find((o) => source.startsWith(o, i))!;
      tokens.push({ type: 'op', text: op === '==' ? '=' : op, column });
      i += op.length;
    } else if (/[-.\d]/.test(c)) {
      const m = NUMBER.exec(source.slice(i));
      if (!m || (i + m[0].length < source.length && isFieldChar(source[i + m[0].length]) && source[i + m[0].length] !== '-')) {
        throw new QuerySyntaxError(source, column, 'this is not a number');
      }
      tokens.push({ type: 'number', text: m[0], column });
      i += m[0].length;
    } else if (isFieldStart(c)) {
      let j = i + 1;
      while (j < source.length && isFieldChar(source[j])) j++;
      const text = source.slice(i, j);
      tokens.push({ type: KEYWORDS[text.toLowerCase()] ?? 'field', text, column });
      i = j;
    } else if (c === "'") {
      throw new QuerySyntaxError(source, column, 'strings take double quotes ("lstm"), not single quotes');
    } else {
      throw new QuerySyntaxError(source, column, `unexpected character ${JSON.stringify(c)}`);
    }
  }
  tokens.push({ type: 'end', text: '', column: source.length + 1 });
  return tokens;
}
