import { Suspense, useEffect } from 'react';
import { ConnectionBanner } from './components/ConnectionBanner';
import { useConnection } from './stores/connection';
import { Nav } from './components/Nav';
import { useRoute } from './stores/ui';
import { lazyView } from './lib/lazy-view';
import { pageTitle } from './lib/titles';

// Each view is its own chunk, fetched the first time it is shown.
const DatasetsView = lazyView(() => import('./views/DatasetsView'), (m) => m.DatasetsView);
const CompareView = lazyView(() => import('./views/CompareView'), (m) => m.CompareView);
const JobsView = lazyView(() => import('./views/JobsView'), (m) => m.JobsView);
const MonitorView = lazyView(() => import('./views/MonitorView'), (m) => m.MonitorView);
const ModelsView = lazyView(() => import('./views/ModelsView'), (m) => m.ModelsView);
const RunsView = lazyView(() => import('./views/RunsView'), (m) => m.RunsView);
const StudiesView = lazyView(() => import('./views/StudiesView'), (m) => m.StudiesView);
const SettingsView = lazyView(() => import('./views/SettingsView'), (m) => m.SettingsView);

export function App() {
  const view = useRoute((r) => r.view);
  const id = useRoute((r) => r.id);
  // While not connected, what is on screen may be stale: it is greyed until the connection returns.
  const stale = useConnection((s) => s.status !== 'connected');
  useEffect(() => {
    document.title = pageTitle(view, id);
  }, [view, id]);
  return (
    <div className={`app${stale ? ' app-stale' : ''}`} data-testid="app" data-stale={stale ? 'true' : 'false'}>
      <Nav />
      <main className="main" data-view={view}>
        <ConnectionBanner />
        <div className="content">
          <Suspense fallback={<p className="muted view-loading">Loading…</p>}>
            {view === 'jobs' && <JobsView />}
            {view === 'runs' && <RunsView />}
            {view === 'compare' && <CompareView />}
            {view === 'studies' && <StudiesView />}
            {view === 'models' && <ModelsView />}
            {view === 'datasets' && <DatasetsView />}
            {view === 'monitor' && <MonitorView />}
            {view === 'settings' && <SettingsView />}
          </Suspense>
        </div>
      </main>
    </div>
  );
}
