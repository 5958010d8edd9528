import { useEffect } from 'react';
import { ErrorBanner } from '../components/ErrorBanner';
import { Fact } from '../components/Fact';
import { useConnection } from '../stores/connection';
import { useSystem } from '../stores/system';
import { THEME_CHOICES, useTheme } from '../stores/theme';

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
      <h3>Appearance</h3>
      <AppearanceChoice />
    </div>
  );
}

const THEME_LABELS = { system: 'Follow the system', light: 'Light', dark: 'Dark' } as const;

/** System, light or dark; remembered in this browser. Test ids: `theme-choice` (data-theme: what it resolves to), `theme-<choice>`. */
function AppearanceChoice() {
  const { choice, theme, choose } = useTheme();
  return (
    <fieldset className="theme-choice" data-testid="theme-choice" data-theme={theme}>
      <legend className="muted">Theme (now {theme})</legend>
      {THEME_CHOICES.map((c) => (
        <label className="check" key={c}>
          <input type="radio" name="theme" value={c} checked={choice === c} onChange={() => choose(c)} data-testid={`theme-${c}`} />
          {THEME_LABELS[c]}
        </label>
      ))}
    </fieldset>
  );
}
