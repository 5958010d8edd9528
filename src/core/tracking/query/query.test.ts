import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prng } from '../../../../test/helpers/rng';
import { tempDir } from '../../../../test/helpers/tmp';
import { openStore, type Store } from '../../store';
import { Tracking } from '../index';
import { printQuery, type QueryNode } from './ast';
import { compileQuery } from './compile';
import { QuerySyntaxError } from './errors';
import { parseQuery } from './parser';

const show = (q: string) => {
  const node = parseQuery(q);
  return node && printQuery(node);
};

function syntaxError(q: string): QuerySyntaxError {
  try {
    parseQuery(q);
  } catch (err) {
    expect(err).toBeInstanceOf(QuerySyntaxError);
    return err as QuerySyntaxError;
  }
  throw new Error(`expected a syntax error for ${q}`);
}

describe('query grammar', () => {
  it('reads comparisons on params, metrics, tags and run fields, with dotted keys', () => {
    expect(show('metrics.test.rmse < 0.5')).toBe('metrics.test.rmse < 0.5');
    expect(show('params.model = "lstm"')).toBe('params.model = "lstm"');
    expect(show('tags.stage != "candidate"')).toBe('tags.stage != "candidate"');
    expect(show('status = "completed"')).toBe('status = "completed"');
    expect(show('experiment >= "b"')).toBe('experiment >= "b"');
    expect(show('params.normalize = true')).toBe('params.normalize = true');
    expect(show('metrics.sys.gpu0.util_percent>=-1.5e-3')).toBe('metrics.sys.gpu0.util_percent >= -0.0015');
    expect(show('params.lr == .001')).toBe('params.lr = 0.001');
    expect(show('tags.note = "say \\"hi\\" \\\\ bye"')).toBe('tags.note = "say \\"hi\\" \\\\ bye"');
  });

  it('an empty or blank query selects everything', () => {
    expect(parseQuery('')).toBeNull();
    expect(parseQuery('   \n ')).toBeNull();
  });

  it('AND binds tighter than OR; parentheses and NOT group; keywords in any case', () => {
    expect(show('metrics.a < 1 or metrics.b < 2 and metrics.c < 3')).toBe('(metrics.a < 1 OR (metrics.b < 2 AND metrics.c < 3))');
    expect(show('metrics.a < 1 AND metrics.b < 2 Or metrics.c < 3')).toBe('((metrics.a < 1 AND metrics.b < 2) OR metrics.c < 3)');
    expect(show('(metrics.a < 1 or metrics.b < 2) and metrics.c < 3')).toBe('((metrics.a < 1 OR metrics.b < 2) AND metrics.c < 3)');
    expect(show('not metrics.a < 1 and metrics.b < 2')).toBe('(NOT metrics.a < 1 AND metrics.b < 2)');
    expect(show('NOT (metrics.a < 1 or metrics.b < 2)')).toBe('NOT (metrics.a < 1 OR metrics.b < 2)');
    expect(show('metrics.a < 1 or metrics.b < 2 or metrics.c < 3')).toBe('((metrics.a < 1 OR metrics.b < 2) OR metrics.c < 3)');
    expect(show('metrics.rmse < 0.5 and (params.model = "lstm" or tags.stage = "candidate")')).toBe(
      '(metrics.rmse < 0.5 AND (params.model = "lstm" OR tags.stage = "candidate"))',
    );
  });
});

describe('query syntax errors', () => {
  const cases: [query: string, column: number, reason: RegExp][] = [
    ['metrics.rmse <', 15, /expected a value after "<", found the end/],
    ['metrics.rmse < and', 16, /expected a value after "<"/],
    ['params.model = lstm', 16, /strings take double quotes: "lstm"/],
    ["params.model = 'lstm'", 16, /double quotes/],
    ['metrics.rmse 0.5', 14, /expected a comparison/],
    ['(metrics.a < 1 or metrics.b < 2', 32, /expected "\)" to close the "\(" at column 1/],
    ['metrics.a < 1)', 14, /this "\)" has no matching "\("/],
    ['metrics.a < 1 metrics.b < 2', 15, /expected AND, OR or the end/],
    ['params.model = "lstm', 16, /never closed/],
    ['foo = 1', 1, /unknown field "foo"/],
    ['params. = 1', 1, /needs a key after the dot/],
    ['metrics.rmse < "low"', 16, /metrics are numbers/],
    ['status = "runing"', 10, /status is one of running, completed, failed, cancelled/],
    ['model = 3', 9, /model is text/],
    ['metrics.a < 1 and or metrics.b < 2', 19, /expected a field/],
    ['()', 2, /empty parentheses/],
    ['metrics.a < 1 & metrics.b < 2', 15, /unexpected character "&"/],
    ['params.on < true', 13, /true and false only compare with = or !=/],
    ['metrics.a < 12abc', 13, /not a number/],
  ];

  it.each(cases)('%s → column %i', (query, column, reason) => {
    const err = syntaxError(query);
    expect(err.code).toBe('InvalidInput');
    expect(err.field).toBe('query');
    expect(err.column).toBe(column);
    expect(err.message).toMatch(reason);
    const [first, echoed, caret] = err.message.split('\n');
    expect(first).toMatch(new RegExp(`^Syntax error in the query at column ${column}: `));
    expect(echoed).toBe(`  ${query}`);
    // The caret sits under the offending character.
    expect(caret.indexOf('^') - 2).toBe(column - 1);
  });

  it('keeps the caret aligned when the query spans lines', () => {
    const err = syntaxError('metrics.a < 1\nand\tmetrics.b <');
    expect(err.column).toBe(30);
    expect(err.message.split('\n')[1]).toBe('  metrics.a < 1 and metrics.b <');
  });
});

describe('compiled SQL', () => {
  let t: ReturnType<typeof tempDir>;
  let store: Store;
  beforeAll(() => {
    t = tempDir();
    store = openStore(join(t.dir, 'trainyard.db'));
  });
  afterAll(async () => {
    await store.close();
    t.cleanup();
  });

  it('binds every value as a parameter, never as SQL text', () => {
    const node = parseQuery('params.model = "x\' OR 1=1 --" or metrics.test.rmse < 0.25 or tags.stage >= "c" or model != "mlp"')!;
    const compiled = compileQuery(node).compile(store.db);
    expect(compiled.sql).not.toContain('OR 1=1');
    expect(compiled.sql).not.toContain('0.25');
    expect(compiled.sql).not.toContain('test.rmse');
    expect(compiled.parameters).toEqual(['model', JSON.stringify("x' OR 1=1 --"), 'test.rmse', 0.25, 'stage', 'c', 'mlp']);
  });
});

// ---------------------------------------------------------------------------------------------
// Results against a real store: hand-picked cases, then random queries checked against a plain
// evaluator of the same AST over the same runs.
// ---------------------------------------------------------------------------------------------

interface Fixture {
  name: string;
  experiment: string;
  model: string;
  params: Record<string, string | number | boolean>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
}

const MODELS = ['mlp', 'lstm', 'gru'];
const STAGES = ['candidate', 'baseline', 'prod'];

function fixtures(): Fixture[] {
  const rand = prng(7);
  const out: Fixture[] = [
    { name: 'A', experiment: 'co2', model: 'mlp', params: { model: 'mlp', lr: 0.01, normalize: true }, metrics: { 'test.rmse': 0.7 }, tags: { stage: 'candidate' } },
    { name: 'B', experiment: 'co2', model: 'lstm', params: { model: 'lstm', lr: 0.001, normalize: false }, metrics: { 'test.rmse': 0.4 }, tags: {} },
    { name: 'C', experiment: 'co2', model: 'gru', params: { model: 'gru', lr: 0.001 }, metrics: { 'test.rmse': 0.3 }, tags: { stage: 'candidate' } },
    { name: 'D', experiment: 'weather', model: 'gru', params: { model: 'gru', lr: 0.1 }, metrics: { 'test.rmse': 0.2 }, tags: { stage: 'prod' } },
    { name: 'E', experiment: 'weather', model: 'mlp', params: { model: 'mlp' }, metrics: {}, tags: {} },
  ];
  for (let i = 0; i < 40; i++) {
    const model = MODELS[Math.floor(rand() * 3)];
    const params: Fixture['params'] = { model };
    if (rand() < 0.8) params.lr = [0.1, 0.01, 0.001][Math.floor(rand() * 3)];
    if (rand() < 0.5) params.normalize = rand() < 0.5;
    if (rand() < 0.3) params.lr = String(params.lr ?? 'auto'); // a string where others have numbers
    const metrics: Fixture['metrics'] = {};
    if (rand() < 0.9) metrics['test.rmse'] = Math.round(rand() * 100) / 100;
    if (rand() < 0.6) metrics['val.loss'] = Math.round(rand() * 1000) / 100;
    const tags: Fixture['tags'] = {};
    if (rand() < 0.5) tags.stage = STAGES[Math.floor(rand() * 3)];
    out.push({ name: `R${i}`, experiment: rand() < 0.5 ? 'co2' : 'weather', model, params, metrics, tags });
  }
  return out;
}

/** The meaning of a query, written the plain way: what the SQL must agree with. */
function evaluate(node: QueryNode, f: Fixture): boolean {
  switch (node.kind) {
    case 'or':
      return evaluate(node.left, f) || evaluate(node.right, f);
    case 'and':
      return evaluate(node.left, f) && evaluate(node.right, f);
    case 'not':
      return !evaluate(node.operand, f);
    case 'compare': {
      const { field, op, value } = node;
      let actual: string | number | boolean | undefined;
      if (field.scope === 'run') actual = field.name === 'experiment' ? f.experiment : field.name === 'model' ? f.model : field.name === 'status' ? 'completed' : undefined;
      else if (field.scope === 'params') actual = f.params[field.key];
      else if (field.scope === 'metrics') actual = f.metrics[field.key];
      else actual = f.tags[field.key];
      let expected: string | number | boolean = value.value;
      if (field.scope === 'tags') expected = String(expected);
      if (actual === undefined || typeof actual !== typeof expected) return false;
      const a = typeof actual === 'boolean' ? String(actual) : actual;
      const e = typeof expected === 'boolean' ? String(expected) : expected;
      switch (op) {
        case '=':
          return a === e;
        case '!=':
          return a !== e;
        case '<':
          return a < e;
        case '<=':
          return a <= e;
        case '>':
          return a > e;
        case '>=':
          return a >= e;
      }
    }
  }
}

function randomQuery(rand: () => number, depth = 0): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  if (depth < 3 && rand() < 0.45) {
    const join = pick(['and', 'OR', 'And', 'or']);
    const inner = `${randomQuery(rand, depth + 1)} ${join} ${randomQuery(rand, depth + 1)}`;
    const grouped = rand() < 0.5 ? `(${inner})` : inner;
    return rand() < 0.15 ? `not (${inner})` : grouped;
  }
  const ops = ['=', '!=', '<', '<=', '>', '>='];
  switch (Math.floor(rand() * 6)) {
    case 0:
      return `metrics.test.rmse ${pick(ops)} ${pick([0.1, 0.25, 0.5, 0.75])}`;
    case 1:
      return `metrics.val.loss ${pick(ops)} ${pick([1, 5, 9.5])}`;
    case 2:
      return rand() < 0.5 ? `params.lr ${pick(ops)} ${pick([0.1, 0.01, 0.001])}` : `params.model ${pick(ops)} "${pick(MODELS)}"`;
    case 3:
      return rand() < 0.5 ? `params.normalize ${pick(['=', '!='])} ${pick(['true', 'false'])}` : `params.lr ${pick(ops)} "${pick(['0.1', 'auto'])}"`;
    case 4:
      return `tags.stage ${pick(ops)} "${pick(STAGES)}"`;
    default:
      return rand() < 0.5 ? `experiment ${pick(ops)} "${pick(['co2', 'weather'])}"` : `model ${pick(ops)} "${pick(MODELS)}"`;
  }
}

describe('queries against a real store', () => {
  let t: ReturnType<typeof tempDir>;
  let store: Store;
  let tracking: Tracking;
  const all = fixtures();
  const nameOf = new Map<string, string>();

  beforeAll(async () => {
    t = tempDir();
    store = openStore(join(t.dir, 'trainyard.db'));
    tracking = new Tracking(store);
    for (const f of all) {
      const id = await tracking.startRun({ experiment: f.experiment, jobId: null, model: f.model, datasetId: null, datasetSha256: null, params: f.params });
      await tracking.recordMetrics(Object.entries(f.metrics).map(([key, value]) => ({ runId: id, key, step: 0, ts: 1, value })));
      await tracking.update(id, { tags: f.tags });
      await tracking.finishRun(id, { status: 'completed' });
      nameOf.set(id, f.name);
    }
  });
  afterAll(async () => {
    await store.close();
    t.cleanup();
  });

  async function names(query: string): Promise<string[]> {
    const page = await tracking.list({ query, includeArchived: false, sort: { key: 'created', order: 'asc' }, offset: 0, limit: 20000 });
    expect(page.total).toBe(page.runs.length);
    return page.runs.map((r) => nameOf.get(r.id)!);
  }

  it('answers the example of the issue', async () => {
    const got = await names('metrics.test.rmse < 0.5 and (params.model = "lstm" or tags.stage = "candidate")');
    expect(got.filter((n) => !n.startsWith('R'))).toEqual(['B', 'C']);
  });

  it('compares numbers as numbers and strings as strings; a missing key never matches', async () => {
    expect((await names('params.lr < 0.01')).filter((n) => !n.startsWith('R'))).toEqual(['B', 'C']);
    expect((await names('params.model != "mlp"')).filter((n) => !n.startsWith('R'))).toEqual(['B', 'C', 'D']);
    expect((await names('params.normalize = false')).filter((n) => !n.startsWith('R'))).toEqual(['B']);
    expect((await names('tags.stage != "candidate"')).filter((n) => !n.startsWith('R'))).toEqual(['D']);
    expect((await names('not tags.stage = "candidate"')).filter((n) => !n.startsWith('R'))).toEqual(['B', 'D', 'E']);
    expect((await names('experiment = "weather" and model = "gru"')).filter((n) => !n.startsWith('R'))).toEqual(['D']);
  });

  it('agrees with a plain evaluator on 300 random queries', async () => {
    const rand = prng(2024);
    let nonTrivial = 0;
    for (let i = 0; i < 300; i++) {
      const q = randomQuery(rand);
      const ast = parseQuery(q)!;
      const expected = all.filter((f) => evaluate(ast, f)).map((f) => f.name);
      expect(await names(q), q).toEqual(expected);
      if (expected.length > 0 && expected.length < all.length) nonTrivial++;
    }
    // The generator is worth something only if most queries split the runs.
    expect(nonTrivial).toBeGreaterThan(150);
  });

  it('a syntax error reaches the caller as InvalidInput on the query field', async () => {
    await expect(names('metrics.rmse <')).rejects.toMatchObject({ code: 'InvalidInput', field: 'query', column: 15 });
  });
});
