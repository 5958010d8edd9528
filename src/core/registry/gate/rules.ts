/**
 * The gate's metric rules: a small expression language, parsed rather than evaluated, so a rule
 * can only ever compare numbers. `LEFT OP RIGHT` where LEFT is a metric key, OP one of < <= > >=,
 * and RIGHT a number, a metric key, or NUMBER * key: `val.rmse <= 0.95 * naive.val.rmse`,
 * `test.skill > 0`.
 */
import type { GateCheck } from '../../../shared/contract';
import { InvalidInput } from '../../../shared/errors';

export type Op = '<' | '<=' | '>' | '>=';

export interface MetricRule {
  text: string;
  left: string;
  op: Op;
  /** RIGHT is `factor * key` (factor 1 for a bare key) or a constant. */
  right: { kind: 'number'; value: number } | { kind: 'key'; factor: number; key: string };
}

type Token = { t: 'key'; v: string } | { t: 'num'; v: number } | { t: 'op'; v: Op } | { t: 'times' };

const KEY = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*/;
const NUM = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/;
const OP = /^(<=|>=|<|>)/;

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let rest = text.trim();
  const take = (token: Token, length: number) => {
    out.push(token);
    rest = rest.slice(length).trimStart();
  };
  while (rest.length) {
    const op = OP.exec(rest);
    const num = NUM.exec(rest);
    const key = KEY.exec(rest);
    if (op) take({ t: 'op', v: op[1] as Op }, op[0].length);
    else if (rest[0] === '*') take({ t: 'times' }, 1);
    else if (num) take({ t: 'num', v: Number(num[0]) }, num[0].length);
    else if (key) take({ t: 'key', v: key[0] }, key[0].length);
    else throw new Error(`unexpected ${JSON.stringify(rest[0])} at "${rest.slice(0, 20)}"`);
  }
  return out;
}

/** Parses a rule; InvalidInput names the rule and what is wrong with it. */
export function parseMetricRule(text: string, field = 'rule'): MetricRule {
  const fail = (why: string): never => {
    throw new InvalidInput(`The gate rule ${JSON.stringify(text)} is not valid: ${why}. Write METRIC OP VALUE, e.g. "val.rmse <= 0.95 * naive.val.rmse" or "test.skill > 0"`, field);
  };
  let tokens: Token[] = [];
  try {
    tokens = tokenize(text);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err));
  }
  const [left, op, ...rhs] = tokens;
  if (left?.t !== 'key') fail('it must start with a metric key');
  if (op?.t !== 'op') fail('the metric key must be followed by <, <=, > or >=');
  const l = left as Extract<Token, { t: 'key' }>;
  const o = (op as Extract<Token, { t: 'op' }>).v;
  const finish = (right: MetricRule['right']): MetricRule => ({ text: text.trim(), left: l.v, op: o, right });
  if (rhs.length === 1 && rhs[0].t === 'num') return finish({ kind: 'number', value: rhs[0].v });
  if (rhs.length === 1 && rhs[0].t === 'key') return finish({ kind: 'key', factor: 1, key: rhs[0].v });
  if (rhs.length === 3 && rhs[0].t === 'num' && rhs[1].t === 'times' && rhs[2].t === 'key') return finish({ kind: 'key', factor: rhs[0].v, key: rhs[2].v });
  return fail('the right side must be a number, a metric key, or NUMBER * key');
}

export function compare(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
  }
}

/** A number as a report's words show it: six significant digits (the check keeps the full value). */
export const shown = (n: number): string => String(Number(n.toPrecision(6)));

/** The rule checked against a version's metrics; a key the version lacks fails the check and says so. */
export function checkMetricRule(rule: MetricRule, metrics: Record<string, number>): GateCheck {
  const base = { rule: rule.text, kind: 'metric' as const };
  const missing = [rule.left, ...(rule.right.kind === 'key' ? [rule.right.key] : [])].filter((k) => !Number.isFinite(metrics[k]));
  if (missing.length) {
    return {
      ...base,
      value: Number.isFinite(metrics[rule.left]) ? metrics[rule.left] : null,
      threshold: rule.right.kind === 'number' ? rule.right.value : null,
      passed: false,
      detail: `the version's metrics have no ${missing.join(' or ')}, so the rule cannot be checked`,
    };
  }
  const value = metrics[rule.left];
  const threshold = rule.right.kind === 'number' ? rule.right.value : rule.right.factor * metrics[rule.right.key];
  const passed = compare(value, rule.op, threshold);
  const what = rule.right.kind === 'number' ? shown(threshold) : `${rule.right.factor === 1 ? '' : `${rule.right.factor} × `}${rule.right.key} = ${shown(threshold)}`;
  return { ...base, value, threshold, passed, detail: `${rule.left} = ${shown(value)} ${passed ? 'is' : 'is not'} ${rule.op} ${what}` };
}

/** Lower is better for errors and losses; higher for skill, R² and the detection scores. */
const HIGHER_IS_BETTER = new Set(['r2', 'skill', 'precision', 'recall', 'f1', 'roc_auc', 'pr_auc', 'accuracy', 'naive', 'seasonal_naive']);
const LOWER_IS_BETTER = new Set(['mae', 'rmse', 'mape', 'mse', 'loss', 'val_loss', 'smape', 'mase']);

export function betterDirection(metric: string): 'lower' | 'higher' | null {
  const last = metric.split('.').at(-1) ?? metric;
  if (metric.startsWith('skill.')) return 'higher';
  if (LOWER_IS_BETTER.has(last)) return 'lower';
  if (HIGHER_IS_BETTER.has(last)) return 'higher';
  return null;
}

/**
 * The champion rule's decision: the candidate may be worse than the current version by at most
 * `tolerance` of the current value (0.01 = 1%), in the metric's own direction.
 */
export function championDecision(metric: string, tolerance: number, candidate: number, current: number): { passed: boolean; threshold: number; detail: string } {
  const direction = betterDirection(metric) ?? 'lower';
  const slack = tolerance * Math.abs(current);
  const threshold = direction === 'lower' ? current + slack : current - slack;
  const passed = direction === 'lower' ? candidate <= threshold : candidate >= threshold;
  const pct = `${Number((tolerance * 100).toPrecision(4))}%`;
  const detail = `${metric} ${shown(candidate)} against the current ${shown(current)} (${direction} is better, ${pct} tolerance: ${direction === 'lower' ? 'at most' : 'at least'} ${shown(threshold)})`;
  return { passed, threshold, detail };
}
