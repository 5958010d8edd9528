/**
 * Min/max bucket downsampling: what a chart receives instead of a long metric history. The points
 * between the first and the last are cut into equal runs of consecutive points and each bucket
 * keeps its lowest and its highest point, in their order. So a series of any length comes back
 * with at most `maxPoints` points, its first and last points, and its global minimum and maximum
 * (each is the extreme of its own bucket): a spike or a divergence never disappears from a chart,
 * which averaging or LTTB's area rule can let happen.
 */

export interface SeriesPoint {
  step: number;
  ts: number;
  value: number;
}

/** The smallest cap that can keep first, last, minimum and maximum. */
export const MIN_MAX_POINTS = 4;

export function downsample<P extends SeriesPoint>(points: readonly P[], maxPoints: number): P[] {
  if (!Number.isInteger(maxPoints) || maxPoints < MIN_MAX_POINTS) {
    throw new RangeError(`maxPoints must be an integer of at least ${MIN_MAX_POINTS}, got ${maxPoints}`);
  }
  const n = points.length;
  if (n <= maxPoints) return points.slice();
  const buckets = Math.floor((maxPoints - 2) / 2);
  const inner = n - 2;
  const out: P[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    // Bucket b covers inner points [start, end): integer bounds that split them as evenly as possible.
    const start = 1 + Math.floor((b * inner) / buckets);
    const end = 1 + Math.floor(((b + 1) * inner) / buckets);
    if (start >= end) continue;
    let lo = start;
    let hi = start;
    for (let i = start + 1; i < end; i++) {
      const v = points[i].value;
      if (v < points[lo].value) lo = i;
      if (v > points[hi].value) hi = i;
    }
    if (lo === hi) out.push(points[lo]);
    else if (lo < hi) out.push(points[lo], points[hi]);
    else out.push(points[hi], points[lo]);
  }
  out.push(points[n - 1]);
  return out;
}
