/**
 * A strict reader of the Prometheus text exposition format (0.0.4), written to its specification
 * (prometheus.io/docs/instrumenting/exposition_formats): it throws, naming the line, on anything a
 * Prometheus server would refuse or that the spec forbids, so a test that parses output has checked it.
 *
 * - Lines end in `\n`; empty lines are ignored; `#` lines other than HELP and TYPE are comments.
 * - `# HELP name text` (text escapes `\\` and `\n`), `# TYPE name type`, once per family, the TYPE
 *   before the family's first sample; a family's samples are contiguous.
 * - Metric names match `[a-zA-Z_:][a-zA-Z0-9_:]*`, label names `[a-zA-Z_][a-zA-Z0-9_]*` (not `__`
 *   reserved prefixes); label values are in double quotes and escape only `\\`, `\"` and `\n`.
 * - A value is a Go float (`NaN`, `+Inf`, `-Inf` included), then an optional integer timestamp.
 * - No two samples of one name have the same label set.
 */
export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
  timestamp: number | null;
}

export interface PromFamily {
  name: string;
  help: string | null;
  type: string | null;
  samples: PromSample[];
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function unescapeHelp(text: string, line: number): string {
  return text.replace(/\\(.?)/g, (_m, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    throw new Error(`line ${line}: bad escape \\${c} in HELP`);
  });
}

function parseValue(text: string, line: number): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf' || text === 'Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value ${JSON.stringify(text)}`);
  return Number(text);
}

/** Parses `{a="1",b="x\"y"}` starting at `i` (the `{`); returns the labels and the index after `}`. */
function parseLabels(s: string, i: number, line: number): { labels: Record<string, string>; end: number } {
  const labels: Record<string, string> = {};
  i++; // '{'
  for (;;) {
    if (s[i] === '}') return { labels, end: i + 1 };
    const nameMatch = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
    if (!nameMatch) throw new Error(`line ${line}: bad label name at column ${i + 1}`);
    const name = nameMatch[0];
    if (!LABEL_NAME.test(name) || name.startsWith('__')) throw new Error(`line ${line}: bad label name ${name}`);
    if (name in labels) throw new Error(`line ${line}: label ${name} given twice`);
    i += name.length;
    if (s[i] !== '=' || s[i + 1] !== '"') throw new Error(`line ${line}: expected =" after label ${name}`);
    i += 2;
    let value = '';
    for (;;) {
      const c = s[i];
      if (c === undefined) throw new Error(`line ${line}: unterminated value of label ${name}`);
      if (c === '"') break;
      if (c === '\n') throw new Error(`line ${line}: raw newline in label ${name}`);
      if (c === '\\') {
        const n = s[i + 1];
        if (n === '\\') value += '\\';
        else if (n === '"') value += '"';
        else if (n === 'n') value += '\n';
        else throw new Error(`line ${line}: bad escape \\${n ?? ''} in label ${name}`);
        i += 2;
        continue;
      }
      value += c;
      i++;
    }
    labels[name] = value;
    i++; // closing quote
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new Error(`line ${line}: expected , or } after label ${name}`);
  }
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (text.length > 0 && !text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const closed = new Set<string>();
  const seen = new Set<string>();
  let current: string | null = null;
  const family = (name: string) => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, help: null, type: null, samples: [] }));
    return f;
  };
  const enter = (name: string, line: number) => {
    if (current === name) return;
    if (current !== null) closed.add(current);
    if (closed.has(name)) throw new Error(`line ${line}: family ${name} is split (its lines are not together)`);
    current = name;
  };
  text.split('\n').forEach((raw, idx) => {
    const line = idx + 1;
    if (raw.trim() === '') return;
    if (raw.startsWith('#')) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)(?:\s(.*))?$/.exec(raw);
      if (!m) return; // a comment
      const [, kind, name, rest = ''] = m;
      if (!METRIC_NAME.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
      enter(name, line);
      const f = family(name);
      if (kind === 'HELP') {
        if (f.help !== null) throw new Error(`line ${line}: second HELP for ${name}`);
        f.help = unescapeHelp(rest, line);
      } else {
        if (f.type !== null) throw new Error(`line ${line}: second TYPE for ${name}`);
        if (f.samples.length > 0) throw new Error(`line ${line}: TYPE for ${name} after its samples`);
        if (!TYPES.has(rest.trim())) throw new Error(`line ${line}: unknown type ${rest}`);
        f.type = rest.trim();
      }
      return;
    }
    const nameMatch = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(raw);
    if (!nameMatch) throw new Error(`line ${line}: bad sample line ${JSON.stringify(raw)}`);
    const name = nameMatch[0];
    let i = name.length;
    let labels: Record<string, string> = {};
    if (raw[i] === '{') ({ labels, end: i } = parseLabels(raw, i, line));
    const rest = raw.slice(i);
    const m = /^[ \t]+(\S+)(?:[ \t]+(-?\d+))?[ \t]*$/.exec(rest);
    if (!m) throw new Error(`line ${line}: expected a value after ${name}`);
    enter(name, line);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`line ${line}: duplicate sample ${name}${JSON.stringify(labels)}`);
    seen.add(key);
    family(name).samples.push({ name, labels, value: parseValue(m[1], line), timestamp: m[2] === undefined ? null : Number(m[2]) });
  });
  return families;
}
