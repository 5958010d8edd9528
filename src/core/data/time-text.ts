/** A UTC timestamp as a person reads it in a log or a table: the date alone at midnight, else ISO 8601 without milliseconds. */
export function isoTime(t: number): string {
  const s = new Date(t).toISOString();
  return s.endsWith('T00:00:00.000Z') ? s.slice(0, 10) : s.replace('.000Z', 'Z');
}
