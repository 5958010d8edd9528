/**
 * The arithmetic behind the Models view, kept apart from React so it can be tested in Node: which
 * metrics a task shows and which way is better, a model's gate status, a name suggested from a
 * run, registry references, tags typed as text, transfer progress, and the predict chart's data.
 */
import type { GateReport, PredictResult, RegisteredModel, TransferProgress } from '../../shared/contract';

export type Task = RegisteredModel['task'];

/** The metrics a versions table shows per task: the split the gate reads first, then test. */
export const KEY_METRICS: Record<Task, string[]> = {
  forecast: ['val.rmse', 'test.rmse', 'test.skill'],
  anomaly: ['test.f1', 'test.pr_auc'],
  // A command reports what it likes; val_loss is the common case.
  command: ['val_loss'],
};

/** Errors (lower is better) by the metric's last segment; everything else (skill, r2, f1, auc...) is higher-better. */
const LOWER_BETTER = new Set(['mae', 'rmse', 'mape', 'mse', 'loss', 'val_loss', 'smape']);

export function lowerIsBetter(key: string): boolean {
  const last = key.split('.').pop() ?? key;
  return LOWER_BETTER.has(last);
}

export type GateStatus = 'pass' | 'fail' | 'none';

export function gateStatus(report: GateReport | null | undefined): GateStatus {
  if (!report) return 'none';
  return report.passed ? 'pass' : 'fail';
}

/** Aliases as `[alias, version]`, `champion` and `candidate` first, then by name. */
export function aliasEntries(aliases: Record<string, number>): [string, number][] {
  const rank = (a: string) => (a === 'champion' ? 0 : a === 'candidate' ? 1 : 2);
  return Object.entries(aliases).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
}

export interface CompareRow {
  key: string;
  a: number | null;
  b: number | null;
  /** Which side is better; null when either is missing or they are equal. */
  better: 'a' | 'b' | null;
}

/**
 * Two versions' metrics side by side, over the keys either has (the task's key metrics first),
 * with the better side marked per the metric's direction.
 */
export function compareMetrics(a: Record<string, number>, b: Record<string, number>, task: Task): CompareRow[] {
  const first = KEY_METRICS[task];
  const rest = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !first.includes(k)).sort();
  return [...first, ...rest].map((key) => {
    const va = Number.isFinite(a[key]) ? a[key] : null;
    const vb = Number.isFinite(b[key]) ? b[key] : null;
    let better: CompareRow['better'] = null;
    if (va !== null && vb !== null && va !== vb) {
      const aWins = lowerIsBetter(key) ? va < vb : va > vb;
      better = aWins ? 'a' : 'b';
    }
    return { key, a: va, b: vb, better };
  });
}

const NAME_RE = /^[a-z0-9][a-z0-9._-]{0,99}$/;

export function isModelName(name: string): boolean {
  return NAME_RE.test(name);
}

/**
 * A model name from what a run was trained on (`co2-concentration.csv`, experiment `CO2 mlp`):
 * lowercase, runs of other characters folded to one `-`, the file extension dropped, cut to 100.
 */
export function suggestModelName(...parts: (string | null | undefined)[]): string {
  for (const part of parts) {
    if (!part) continue;
    const name = part
      .replace(/\.(csv|parquet|tsv|json)$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z0-9]+/, '')
      .replace(/[-.]+$/, '')
      .slice(0, 100);
    if (isModelName(name)) return name;
  }
  return 'model';
}

/**
 * Tags typed as `key=value` pairs, separated by commas or new lines. Returns the tags or the
 * first entry that is not a pair, in words.
 */
export function parseTags(text: string): { tags: Record<string, string> } | { error: string } {
  const tags: Record<string, string> = {};
  for (const raw of text.split(/[,\n]/)) {
    const entry = raw.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) return { error: `Tag "${entry}" is not key=value` };
    const key = entry.slice(0, eq).trim();
    if (key.length > 100) return { error: `Tag key "${key.slice(0, 20)}…" is longer than 100 characters` };
    tags[key] = entry.slice(eq + 1).trim();
  }
  return { tags };
}

/**
 * Checks `HOST[:PORT]/REPO:TAG` as the push and pull commands take it, so the dialog can say what
 * is wrong before anything is sent. The core checks again.
 */
export function checkOciReference(ref: string): string | null {
  const r = ref.trim();
  if (!r) return 'Enter a registry reference: HOST[:PORT]/REPO:TAG';
  if (/^[a-z]+:\/\//i.test(r)) return 'Leave out the scheme (http://); tick "plain HTTP" for a registry without TLS';
  const slash = r.indexOf('/');
  if (slash <= 0) return `"${r}" names no repository: write HOST[:PORT]/REPO:TAG`;
  const host = r.slice(0, slash);
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host) && !/^\[[0-9a-fA-F:]+\](:\d{1,5})?$/.test(host)) return `"${host}" is not a host or host:port`;
  const rest = r.slice(slash + 1);
  const colon = rest.lastIndexOf(':');
  const repo = colon >= 0 ? rest.slice(0, colon) : rest;
  if (!/^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/.test(repo)) return `"${repo}" is not a repository name (lowercase, digits, . _ - and /)`;
  if (colon >= 0 && !/^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/.test(rest.slice(colon + 1))) return `"${rest.slice(colon + 1)}" is not a tag`;
  return null;
}

/** A transfer id chosen by the client, so it can follow and cancel the transfer it starts. */
export function newTransferId(random: () => number = Math.random, now = Date.now()): string {
  const rand = Array.from({ length: 10 }, () => Math.floor(random() * 36).toString(36)).join('');
  return `tr-${now.toString(36)}-${rand}`;
}

export function transferFraction(p: TransferProgress | null | undefined): number {
  if (!p) return 0;
  if (p.state === 'completed') return 1;
  if (p.bytesTotal <= 0) return 0;
  return Math.max(0, Math.min(1, p.bytesDone / p.bytesTotal));
}

/** The predict result as chart columns: x (time in seconds, or row order without a time column), then the series. */
export interface PredictChart {
  /** True when x is time (epoch seconds, as uPlot reads it). */
  time: boolean;
  labels: string[];
  data: [number[], ...(number | null)[][]];
  /** Forecast: rows past the end of the data; anomaly: flagged rows. */
  marked: number;
}

function num(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/**
 * Forecast: actual, fitted (predictions on rows with a full window) and forecast (the steps past
 * the end) over time (row order without a time column), the forecast joined to the last fitted point so the line continues.
 * Anomaly: the value, and the value again only where the row is flagged (drawn as points).
 */
export function predictChart(result: Pick<PredictResult, 'task' | 'columns' | 'rows'>): PredictChart {
  const col = (name: string) => result.columns.indexOf(name);
  // The time column when every row has a readable time (forecast rows past the end included).
  const times = result.columns[0] === 'time' ? result.rows.map((r) => Date.parse(String(r[0])) / 1000) : [];
  const time = times.length === result.rows.length && times.length > 0 && times.every(Number.isFinite);
  const xs = time ? times : result.rows.map((_, i) => i);
  if (result.task === 'forecast') {
    const [ia, ip, ik] = [col('actual'), col('predicted'), col('kind')];
    const actual: (number | null)[] = [];
    const fitted: (number | null)[] = [];
    const forecast: (number | null)[] = [];
    let marked = 0;
    result.rows.forEach((row, i) => {
      const isForecast = row[ik] === 'forecast';
      actual.push(num(row[ia]));
      fitted.push(isForecast ? null : num(row[ip]));
      forecast.push(isForecast ? num(row[ip]) : null);
      if (isForecast) {
        marked++;
        // Joins the forecast to the last fitted point, so the two lines meet.
        if (i > 0 && forecast[i - 1] === null) forecast[i - 1] = fitted[i - 1];
      }
    });
    return { time, labels: ['actual', 'fitted', 'forecast'], data: [xs, actual, fitted, forecast], marked };
  }
  const [iv, ifl, is] = [col('value'), col('flagged'), col('score')];
  const value: (number | null)[] = [];
  const flagged: (number | null)[] = [];
  const score: (number | null)[] = [];
  let marked = 0;
  for (const row of result.rows) {
    const v = num(row[iv]);
    const cell = row[ifl];
    const f = cell === 1 || cell === '1' || cell === 'true';
    value.push(v);
    flagged.push(f ? v : null);
    score.push(num(row[is]));
    if (f) marked++;
  }
  return { time, labels: ['value', 'flagged', 'score'], data: [xs, value, flagged, score], marked };
}

/** Bytes of a base64 string (an artifact read through the API). */
export function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

type GateRule = RegisteredModel['gate']['rules'][number];

/** A gate rule as one line of text: the metric expression, or `champion METRIC [TOLERANCE] [@ALIAS]`. */
export function formatGateRule(rule: GateRule): string {
  if (rule.kind === 'metric') return rule.expr;
  return `champion ${rule.metric} ${rule.tolerance}${rule.alias === 'champion' ? '' : ` @${rule.alias}`}`;
}

/**
 * Gate rules typed one per line (what formatGateRule writes). A metric expression is passed on as
 * written (the core parses it and names what is wrong); a champion line is read here.
 */
export function parseGateRules(text: string): { rules: GateRule[] } | { error: string } {
  const rules: GateRule[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    if (words[0] !== 'champion') {
      rules.push({ kind: 'metric', expr: line });
      continue;
    }
    const [, metric, ...rest] = words;
    if (!metric) return { error: `Line ${i + 1}: write "champion METRIC [TOLERANCE] [@ALIAS]"` };
    let tolerance = 0.01;
    let alias = 'champion';
    for (const w of rest) {
      if (w.startsWith('@')) alias = w.slice(1);
      else if (Number.isFinite(Number(w)) && Number(w) >= 0) tolerance = Number(w);
      else return { error: `Line ${i + 1}: "${w}" is neither a tolerance (0.01 = 1%) nor an @alias` };
    }
    rules.push({ kind: 'champion', metric, alias, tolerance });
  }
  return { rules };
}

/** Every way a model can be named for predict and evaluate: its aliases first, then each version. */
export function refOptions(name: string, aliases: Record<string, number>, versions: number[]): { value: string; label: string }[] {
  return [
    ...Object.entries(aliases).map(([a, v]) => ({ value: `${name}@${a}`, label: `@${a} (v${v})` })),
    ...versions.map((v) => ({ value: `${name}:${v}`, label: `v${v}` })),
  ];
}
