import { describe, expect, it } from 'vitest';
import { contourMask } from './contour-mask';

describe('contour mask', () => {
  it('paints the cells near a sampled point and leaves the far corner unpainted', () => {
    const mask = contourMask([{ fx: 0.1, fy: 0.1 }], 10, 0.2);
    expect(mask[0]).toBe(true); // the cell holding the point
    expect(mask[9 * 10 + 9]).toBe(false); // the opposite corner
    expect(mask.filter(Boolean).length).toBeLessThan(20);
  });

  it('paints nothing without points', () => {
    expect(contourMask([], 4).some(Boolean)).toBe(false);
  });
});
