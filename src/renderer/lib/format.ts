/** How numbers, sizes, durations and times read in the UI. Times arrive as UTC epoch ms. */
import type { ParamValue } from '../../shared/contract';

/** Four significant digits; exponent form only for very small or very large magnitudes. */
export function fmtNum(v: number | null | undefined): string {
  if (v === null || v === undefined) return '—';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e15) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}

/** Metrics recorded in percent (MAPE is 100 × mean |error| / |actual|): their last key segment. */
const PERCENT_METRICS = new Set(['mape', 'smape']);

/** A metric's value as `fmtNum` has it, with " %" for the metrics that are percentages (MAPE 0.09 % is not 9 %). */
export function fmtMetric(key: string, v: number | null | undefined): string {
  const text = fmtNum(v);
  return v !== null && v !== undefined && Number.isFinite(v) && PERCENT_METRICS.has(key.split('.').pop() ?? key) ? `${text} %` : text;
}

/** A parameter's value: numbers as `fmtNum` has them, strings and booleans as they are; a dash when absent. */
export function fmtParam(v: ParamValue | null | undefined): string {
  if (v === null || v === undefined) return '—';
  return typeof v === 'number' ? fmtNum(v) : String(v);
}

export function fmtInt(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  return Math.round(v).toLocaleString();
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function fmtBytes(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  let n = v;
  let u = 0;
  while (Math.abs(n) >= 1024 && u < BYTE_UNITS.length - 1) {
    n /= 1024;
    u++;
  }
  return u === 0 ? `${n} B` : `${n.toFixed(n >= 100 ? 0 : 1)} ${BYTE_UNITS[u]}`;
}

export function fmtDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 0) ms = 0;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const total = Math.round(s);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m`;
  return `${m}m ${String(sec).padStart(2, '0')}s`;
}

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const clock = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

export function fmtTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return dateTime.format(new Date(ms));
}

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });

/** Compact, for tables: the time of day when it is today, else the date and minute. */
export function fmtShortTime(ms: number | null | undefined, now = Date.now()): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return d.toDateString() === new Date(now).toDateString() ? clock.format(d) : shortDate.format(d);
}

/** HH:MM:SS.mmm in local time, for log lines. */
export function fmtClock(ms: number): string {
  const d = new Date(ms);
  return `${clock.format(d)}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

export function fmtPercent(fraction: number): string {
  return `${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%`;
}

export function shortId(id: string): string {
  return id.length > 10 ? id.slice(-8).toLowerCase() : id;
}
