/**
 * How one text cell is read: as a number, as a timestamp, or as neither.
 * Strict on purpose: "1,234", "NA" or "12 kg" are text, never quietly turned into numbers.
 */

const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NON_FINITE_RE = /^[+-]?(?:nan|inf|infinity)$/i;
/** ISO 8601-like: 2020-01, 2020-01-31, 2020-01-31T13:45, 2020-01-31 13:45:10.5Z, +02:00 offsets; "/" also accepted. */
const ISO_RE =
  /^(\d{4})[-/](\d{1,2})(?:[-/](\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const YEAR_RE = /^\d{4}$/;
/** Column names under which a column of plain integers means calendar years. */
const TIME_NAME_RE = /^(year|date|time|month)$/i;

export function isMissing(cell: string): boolean {
  return cell.trim() === '';
}

export function looksLikeNumber(cell: string): boolean {
  return NUMBER_RE.test(cell.trim());
}

/** NaN, Infinity and friends: written as numbers, but never usable as one. */
export function isNonFiniteWord(cell: string): boolean {
  return NON_FINITE_RE.test(cell.trim());
}

/** The cell as a finite number, or null. */
export function parseNumber(cell: string): number | null {
  const t = cell.trim();
  if (!NUMBER_RE.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * An ISO-like date or date-time as UTC epoch milliseconds, or null.
 *
 * Written out rather than left to `Date.parse`, which reads a date-time without a zone as local
 * time: the same file would then give different (and, across a daylight-saving change,
 * duplicated) timestamps on different machines. Zone-less values are taken as UTC; impossible
 * dates such as 2021-02-30 are refused.
 */
export function parseTimestamp(cell: string): number | null {
  const m = ISO_RE.exec(cell.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = d === undefined ? 1 : Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = s === undefined ? 0 : Number(s);
  const ms = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let t = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    t -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  return t;
}

export function looksLikeTimestamp(cell: string): boolean {
  return parseTimestamp(cell) !== null;
}

/** A column named year/date/time/month holding four-digit integers is a column of years. */
export function isYearColumnName(name: string): boolean {
  return TIME_NAME_RE.test(name.trim());
}

export function parseYear(cell: string): number | null {
  const t = cell.trim();
  return YEAR_RE.test(t) ? Date.UTC(Number(t), 0, 1) : null;
}
