/**
 * Where a contour may be painted: only near trials that were sampled. An interpolated surface
 * over a region no trial visited shows a guess as if it were a measurement, so a cell farther
 * than `radius` (in fractions of each axis) from every sampled point is left unpainted.
 */

/** How near a sampled point a cell must be to be painted, in fractions of the axes. */
export const CONTOUR_MASK_RADIUS = 0.18;
/** Below this many sampled points there is no surface worth drawing: the dots alone are shown. */
export const CONTOUR_MIN_POINTS = 5;

/** One flag per cell of a size × size grid (row-major, row 0 at the bottom): true where it may be painted. */
export function contourMask(points: { fx: number; fy: number }[], size: number, radius = CONTOUR_MASK_RADIUS): boolean[] {
  const mask = new Array<boolean>(size * size).fill(false);
  const r2 = radius * radius;
  for (let cy = 0; cy < size; cy++) {
    const y = (cy + 0.5) / size;
    for (let cx = 0; cx < size; cx++) {
      const x = (cx + 0.5) / size;
      mask[cy * size + cx] = points.some((p) => (p.fx - x) ** 2 + (p.fy - y) ** 2 <= r2);
    }
  }
  return mask;
}
