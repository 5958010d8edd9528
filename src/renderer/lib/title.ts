/**
 * The browser tab's title follows the view ("Runs · Trainyard", "Run 15jdkmgr · Trainyard"), so a
 * researcher with several tabs open can tell them apart and the history lists places by name.
 */
import { useRoute, type Route } from '../stores/ui';
import { shortId } from './format';

const VIEW_TITLES: Record<Route['view'], { list: string; item: string }> = {
  jobs: { list: 'Jobs', item: 'Job' },
  runs: { list: 'Runs', item: 'Run' },
  compare: { list: 'Compare', item: 'Compare' },
  studies: { list: 'Studies', item: 'Study' },
  models: { list: 'Models', item: 'Model' },
  datasets: { list: 'Datasets', item: 'Dataset' },
  monitor: { list: 'Monitor', item: 'Monitor' },
  settings: { list: 'Settings', item: 'Settings' },
};

export function pageTitle(route: Route): string {
  const t = VIEW_TITLES[route.view];
  if (!route.id || route.view === 'compare') return `${t.list} · Trainyard`;
  // Models are named by the user; the other items by their ids.
  return `${t.item} ${route.view === 'models' ? route.id : shortId(route.id)} · Trainyard`;
}

if (typeof document !== 'undefined') {
  document.title = pageTitle(useRoute.getState());
  useRoute.subscribe((route) => {
    document.title = pageTitle(route);
  });
}
