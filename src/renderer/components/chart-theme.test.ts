import { describe, expect, it } from 'vitest';
import { resolveTheme } from '../stores/theme';
import { themedOptions } from './chart-theme';

describe('chart colours per theme', () => {
  const draw = () => undefined;
  const opts = {
    axes: [{ stroke: '#8b94a3', grid: { stroke: 'rgba(255,255,255,0.06)', width: 1 }, ticks: { stroke: 'rgba(255, 255, 255, 0.12)' } }],
    series: [{}, { stroke: '#4c9aff', dash: [4, 4] }, { stroke: 'rgba(255,255,255,0.35)' }],
    hooks: { draw: [draw] },
  };

  it('turns white-alpha lines black-alpha in the light theme, keeping series colours and functions', () => {
    const light = themedOptions(opts, 'light');
    expect(light.axes[0].grid.stroke).toBe('rgba(0, 0, 0,0.06)');
    expect(light.axes[0].ticks.stroke).toBe('rgba(0, 0, 0, 0.12)');
    expect(light.series[1]).toEqual({ stroke: '#4c9aff', dash: [4, 4] });
    expect(light.series[2].stroke).toBe('rgba(0, 0, 0,0.35)');
    expect(light.hooks.draw[0]).toBe(draw);
    // The options given are left as they were.
    expect(opts.axes[0].grid.stroke).toBe('rgba(255,255,255,0.06)');
  });

  it('leaves the dark theme as drawn', () => {
    expect(themedOptions(opts, 'dark')).toBe(opts);
  });

  it('resolves "system" by the system setting, and a fixed choice whatever the system says', () => {
    expect(resolveTheme('system', true)).toBe('light');
    expect(resolveTheme('system', false)).toBe('dark');
    expect(resolveTheme('dark', true)).toBe('dark');
    expect(resolveTheme('light', false)).toBe('light');
  });
});
