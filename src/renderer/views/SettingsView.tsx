import { useEffect } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { Fact } from '../components/Fact';
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
        <Fact label="Data directory" className="mono" testId="settings-data-dir">
          {info?.dataDir ?? '—'}
        </Fact>
        <Fact label="Version" className="mono" testId="settings-version">
          {info?.version ?? '—'}
        </Fact>
        <Fact label="Connection">
          {mode === 'desktop' ? 'desktop window' : `browser, ${location.host}`} · {status}
        </Fact>
      </dl>
      <p className="hint">Everything Trainyard keeps (database, artifacts, logs, models) lives under the data directory.</p>
    </div>
  );
}
