/**
 * A view loaded on first use: each view is its own chunk (dynamic `import()`), so the first screen
 * downloads the shell and the view it shows, not every view's code and charts.
 */
import { lazy, type ComponentType } from 'react';

export function lazyView<M>(load: () => Promise<M>, pick: (m: M) => ComponentType): ComponentType {
  return lazy(() => load().then((m) => ({ default: pick(m) })));
}
