/** The runs query language: text → tokens → AST → SQL condition with bound parameters. */
export { parseQuery } from './parser';
export { compileQuery } from './compile';
export { QuerySyntaxError } from './errors';
export { printQuery, type QueryNode, type Field, type Literal, type Operator } from './ast';
