import { ConnectionBanner } from './components/ConnectionBanner';
import { useConnection } from './stores/connection';
import { Nav } from './components/Nav';
import { useRoute } from './stores/ui';
import { CompareView } from './views/CompareView';
import { DatasetsView } from './views/DatasetsView';
import { JobsView } from './views/JobsView';
import { MonitorView } from './views/MonitorView';
import { ModelsView } from './views/ModelsView';
import { RunsView } from './views/RunsView';
import { StudiesView } from './views/StudiesView';
import { SettingsView } from './views/SettingsView';

export function App() {
  const view = useRoute((r) => r.view);
  // While not connected, what is on screen may be stale: it is greyed until the connection returns.
  const stale = useConnection((s) => s.status !== 'connected');
  return (
    <div className={`app${stale ? ' app-stale' : ''}`} data-testid="app" data-stale={stale ? 'true' : 'false'}>
      <Nav />
      <main className="main" data-view={view}>
        <ConnectionBanner />
        <div className="content">
          {view === 'jobs' && <JobsView />}
          {view === 'runs' && <RunsView />}
          {view === 'compare' && <CompareView />}
          {view === 'studies' && <StudiesView />}
          {view === 'models' && <ModelsView />}
          {view === 'datasets' && <DatasetsView />}
          {view === 'monitor' && <MonitorView />}
          {view === 'settings' && <SettingsView />}
        </div>
      </main>
    </div>
  );
}
