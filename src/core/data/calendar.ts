/**
 * What the time column says beyond order: the series' frequency, the season that follows from it,
 * and calendar features (position in the day, week and year as sine/cosine pairs, so that 23:00
 * and 00:00 sit next to each other rather than at opposite ends of a scale).
 *
 * Timestamps are UTC epoch milliseconds, as the loader reads them (zone-less values are UTC).
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export type Frequency = 'sub-hourly' | 'hourly' | 'daily' | 'weekly' | 'monthly' | 'quarterly' | 'yearly' | 'irregular';

/** Median gap between consecutive timestamps (robust to a few gaps in the record). */
export function medianStep(timestamps: ArrayLike<number>): number | null {
  if (timestamps.length < 2) return null;
  const gaps = new Float64Array(timestamps.length - 1);
  for (let i = 1; i < timestamps.length; i++) gaps[i - 1] = timestamps[i] - timestamps[i - 1];
  gaps.sort();
  return gaps[Math.floor(gaps.length / 2)];
}

const near = (v: number, target: number, tolerance: number) => Math.abs(v - target) <= tolerance * target;

export function inferFrequency(timestamps: ArrayLike<number>): Frequency {
  const step = medianStep(timestamps);
  if (step === null || step <= 0) return 'irregular';
  if (step < HOUR * 0.9) return 'sub-hourly';
  if (near(step, HOUR, 0.1)) return 'hourly';
  if (near(step, DAY, 0.1)) return 'daily';
  if (near(step, 7 * DAY, 0.1)) return 'weekly';
  // Calendar months are 28 to 31 days long, quarters 89 to 92, years 365 or 366.
  if (step >= 28 * DAY && step <= 31 * DAY) return 'monthly';
  if (step >= 89 * DAY && step <= 92 * DAY) return 'quarterly';
  if (step >= 365 * DAY && step <= 366 * DAY) return 'yearly';
  return 'irregular';
}

/** The usual season of a frequency: a day of hours, a week of days, a year of weeks, months or quarters. */
export const SEASON_OF: Record<Frequency, number | null> = {
  'sub-hourly': null,
  hourly: 24,
  daily: 7,
  weekly: 52,
  monthly: 12,
  quarterly: 4,
  yearly: null,
  irregular: null,
};

export function inferSeason(timestamps: ArrayLike<number> | null): number | null {
  return timestamps ? SEASON_OF[inferFrequency(timestamps)] : null;
}

/** Cycles a calendar feature can describe; each becomes a sin and a cos channel. */
export type CalendarCycle = 'hour_of_day' | 'day_of_week' | 'day_of_year' | 'month_of_year';

/**
 * The cycles worth describing at a frequency: those longer than one step (an hour of day says
 * nothing about a daily series) that repeat within the record.
 */
export function calendarCycles(freq: Frequency): CalendarCycle[] {
  switch (freq) {
    case 'sub-hourly':
    case 'hourly':
      return ['hour_of_day', 'day_of_week', 'day_of_year'];
    case 'daily':
      return ['day_of_week', 'day_of_year'];
    case 'weekly':
      return ['day_of_year'];
    case 'monthly':
    case 'quarterly':
      return ['month_of_year'];
    default:
      return [];
  }
}

/** Position in the cycle as a fraction of a turn, in [0, 1). */
function phase(cycle: CalendarCycle, t: number): number {
  const d = new Date(t);
  switch (cycle) {
    case 'hour_of_day':
      return (d.getUTCHours() * 60 + d.getUTCMinutes()) / (24 * 60);
    case 'day_of_week':
      return (d.getUTCDay() + d.getUTCHours() / 24) / 7;
    case 'day_of_year': {
      const start = Date.UTC(d.getUTCFullYear(), 0, 1);
      const days = (Date.UTC(d.getUTCFullYear() + 1, 0, 1) - start) / DAY;
      return (t - start) / DAY / days;
    }
    case 'month_of_year':
      return d.getUTCMonth() / 12;
  }
}

/** Channel names, two per cycle: `hour_of_day_sin`, `hour_of_day_cos`... */
export const calendarChannelNames = (cycles: readonly CalendarCycle[]): string[] =>
  cycles.flatMap((c) => [`${c}_sin`, `${c}_cos`]);

/** Row-major `timestamps.length` x `2 * cycles.length`: sin then cos of each cycle's phase. */
export function calendarFeatures(timestamps: ArrayLike<number>, cycles: readonly CalendarCycle[]): Float64Array {
  const cols = cycles.length * 2;
  const out = new Float64Array(timestamps.length * cols);
  for (let i = 0; i < timestamps.length; i++) {
    cycles.forEach((c, j) => {
      const a = 2 * Math.PI * phase(c, timestamps[i]);
      out[i * cols + 2 * j] = Math.sin(a);
      out[i * cols + 2 * j + 1] = Math.cos(a);
    });
  }
  return out;
}
