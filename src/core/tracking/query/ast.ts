/** The parsed query: comparisons joined by AND / OR / NOT. */

export type Scope = 'params' | 'metrics' | 'tags';
export const RUN_FIELDS = ['status', 'model', 'experiment', 'id'] as const;
export type RunField = (typeof RUN_FIELDS)[number];

export type Field = { scope: Scope; key: string } | { scope: 'run'; name: RunField };

export type Literal = { type: 'string'; value: string } | { type: 'number'; value: number } | { type: 'boolean'; value: boolean };

export type Operator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type QueryNode =
  | { kind: 'or'; left: QueryNode; right: QueryNode }
  | { kind: 'and'; left: QueryNode; right: QueryNode }
  | { kind: 'not'; operand: QueryNode }
  | { kind: 'compare'; field: Field; op: Operator; value: Literal; column: number };

/** Writes a node back as query text, fully parenthesised: what tests read to check precedence. */
export function printQuery(node: QueryNode): string {
  switch (node.kind) {
    case 'or':
    case 'and':
      return `(${printQuery(node.left)} ${node.kind.toUpperCase()} ${printQuery(node.right)})`;
    case 'not':
      return `NOT ${printQuery(node.operand)}`;
    case 'compare': {
      const f = node.field.scope === 'run' ? node.field.name : `${node.field.scope}.${node.field.key}`;
      const v = node.value.type === 'string' ? JSON.stringify(node.value.value) : String(node.value.value);
      return `${f} ${node.op} ${v}`;
    }
  }
}
