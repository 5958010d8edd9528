/**
 * Where the user is: the view and the selected item, mirrored in the location hash
 * (`#/jobs`, `#/jobs/<id>`, `#/runs/<id>`...) so reloads and the back button keep the place.
 */
import { create } from 'zustand';

export const VIEWS = ['jobs', 'runs', 'compare', 'studies', 'models', 'datasets', 'monitor', 'settings'] as const;
export type View = (typeof VIEWS)[number];

export interface Route {
  view: View;
  /** The selected job (jobs view), run (runs view) or dataset (datasets view); for compare, the run ids joined by commas. */
  id: string | null;
}

export function parseHash(hash: string): Route {
  const [view, id] = hash.replace(/^#\/?/, '').split('/');
  const v = (VIEWS as readonly string[]).includes(view ?? '') ? (view as View) : 'jobs';
  return { view: v, id: id ? decodeURIComponent(id) : null };
}

export function routeHref(view: View, id?: string | null): string {
  return `#/${view}${id ? `/${encodeURIComponent(id)}` : ''}`;
}

export const useRoute = create<Route>(() => parseHash(typeof location === 'undefined' ? '' : location.hash));

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => useRoute.setState(parseHash(location.hash)));
}

export function navigate(view: View, id?: string | null): void {
  const href = routeHref(view, id);
  if (location.hash !== href) location.hash = href;
  useRoute.setState({ view, id: id ?? null });
}

/** The job open in the detail pane, if any. */
export function useSelectedJobId(): string | null {
  return useRoute((r) => (r.view === 'jobs' ? r.id : null));
}

export function selectJob(id: string | null): void {
  navigate('jobs', id);
}
