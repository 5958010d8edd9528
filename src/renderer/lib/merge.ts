/**
 * Merges `incoming` into `existing`, both in ascending order of a numeric key (a log line's id, a
 * metric point's step), keeping one item per key: the incoming one wins. Live events nearly always
 * come after what is held, so that case is a plain append; `existing` itself comes back when there
 * is nothing to add.
 */
export function mergeByKey<T>(existing: T[], incoming: readonly T[], key: (item: T) => number): T[] {
  if (incoming.length === 0) return existing;
  const last = existing[existing.length - 1];
  // Fast path: everything new comes after what is held, in order.
  if (
    (last === undefined || key(incoming[0]) > key(last)) &&
    incoming.every((item, i) => i === 0 || key(item) > key(incoming[i - 1]))
  ) {
    return existing.concat(incoming);
  }
  const byKey = new Map<number, T>();
  for (const item of existing) byKey.set(key(item), item);
  for (const item of incoming) byKey.set(key(item), item);
  return [...byKey.values()].sort((a, b) => key(a) - key(b));
}
