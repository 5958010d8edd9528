import { useEffect } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { useConnection } from '../stores/connection';
import { useSystem } from '../stores/system';

export function SettingsView() {
  const info = useSystem((s) => s.info);
  const error = useSystem((s) => s.error);
  const { status, mode } = useConnection();

  useEffect(() => {
    if (status === 'connected') void useSystem.getState().load();
  }, [status]);

  return (
    <div className="view" data-testid="settings-view">
      <header className="view-head">
        <h1>Settings</h1>
      </header>
      <ErrorBanner message={error} />
      <dl className="facts facts-column">
        <div>
          <dt>Data directory</dt>
          <dd className="mono" data-testid="settings-data-dir">
            {info?.dataDir ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Version</dt>
          <dd className="mono" data-testid="settings-version">
            {info?.version ?? '—'}
          </dd>
        </div>
        <div>
          <dt>Connection</dt>
          <dd>
            {mode === 'desktop' ? 'desktop window' : `browser, ${location.host}`} · {status}
          </dd>
        </div>
      </dl>
      <p className="hint">Everything Trainyard keeps (database, artifacts, logs, models) lives under the data directory.</p>
    </div>
  );
}
