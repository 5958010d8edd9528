/**
 * Chart colours per theme. The charts are drawn for the dark theme: grid lines, ticks and guides
 * are white at low alpha, which vanishes on a light background. For the light theme every such
 * colour in a plot's options becomes the same alpha of black, so no chart needs two palettes.
 * Series colours (blue, orange, green...) read on both and are kept.
 */
import type { Theme } from '../stores/theme';

const WHITE_ALPHA = /rgba\(\s*255\s*,\s*255\s*,\s*255\s*,/g;

/** A colour as the theme draws it: white-alpha becomes black-alpha in the light theme. */
export function themeColor(color: string, theme: Theme): string {
  return theme === 'light' ? color.replace(WHITE_ALPHA, 'rgba(0, 0, 0,') : color;
}

const isPlain = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;

/** Plot options with every colour string made the theme's (plain objects and arrays are copied; functions and the rest kept). */
export function themedOptions<T>(opts: T, theme: Theme): T {
  if (theme === 'dark') return opts;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return themeColor(v, theme);
    if (Array.isArray(v)) return v.map(walk);
    if (isPlain(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(opts) as T;
}
