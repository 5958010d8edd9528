/**
 * The query's AST as a SQL condition over `runs AS r` joined to `experiments AS e`. Every value is
 * a bound parameter; the only text spliced in comes from the fixed operator list and fixed column
 * names. Conditions on metrics read `metric_summary` (latest value per run and key) through its
 * (key, value) index, so a filter never scans the metric history.
 *
 * A comparison on a key a run lacks is false for that run, `!=` included (`params.model != "lstm"`
 * selects runs that have a model param other than lstm); NOT inverts the whole comparison.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Literal, Operator, QueryNode } from './ast';

const OPS: Record<Operator, RawBuilder<unknown>> = {
  '=': sql.raw('='),
  '!=': sql.raw('!='),
  '<': sql.raw('<'),
  '<=': sql.raw('<='),
  '>': sql.raw('>'),
  '>=': sql.raw('>='),
};

const RUN_COLUMNS = { status: sql.ref('r.status'), model: sql.ref('r.model'), experiment: sql.ref('e.name'), id: sql.ref('r.id') };

export function compileQuery(node: QueryNode): RawBuilder<SqlBool> {
  switch (node.kind) {
    case 'or':
      return sql<SqlBool>`(${compileQuery(node.left)} OR ${compileQuery(node.right)})`;
    case 'and':
      return sql<SqlBool>`(${compileQuery(node.left)} AND ${compileQuery(node.right)})`;
    case 'not':
      return sql<SqlBool>`(NOT ${compileQuery(node.operand)})`;
    case 'compare': {
      const op = OPS[node.op];
      const { field, value } = node;
      switch (field.scope) {
        case 'run':
          return sql<SqlBool>`${RUN_COLUMNS[field.name]} ${op} ${value.value}`;
        case 'metrics':
          return sql<SqlBool>`r.id IN (SELECT run_id FROM metric_summary WHERE key = ${field.key} AND value ${op} ${value.value})`;
        case 'tags':
          return sql<SqlBool>`r.id IN (SELECT run_id FROM run_tags WHERE key = ${field.key} AND value ${op} ${String(value.value)})`;
        case 'params':
          return sql<SqlBool>`r.id IN (SELECT run_id FROM params WHERE key = ${field.key} AND ${paramCondition(node.op, value)})`;
      }
    }
  }
}

/** Params are stored as JSON scalars: compare numbers with numbers and strings with strings. */
function paramCondition(op: Operator, value: Literal): RawBuilder<SqlBool> {
  switch (value.type) {
    case 'boolean':
      // Stored as the JSON text `true` / `false`.
      return sql<SqlBool>`json_type(value) IN ('true', 'false') AND value ${OPS[op]} ${JSON.stringify(value.value)}`;
    case 'number':
      return sql<SqlBool>`json_type(value) IN ('integer', 'real') AND json_extract(value, '$') ${OPS[op]} ${value.value}`;
    case 'string':
      // Equality on the stored JSON text can use the (key, value) index.
      return op === '='
        ? sql<SqlBool>`value = ${JSON.stringify(value.value)}`
        : sql<SqlBool>`json_type(value) = 'text' AND json_extract(value, '$') ${OPS[op]} ${value.value}`;
  }
}
