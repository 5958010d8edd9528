import { useEffect, useState } from 'react';
import { reconnect, useConnection } from '../stores/connection';

/** Seconds until `at`, ticking while it is in the future. */
function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), 250);
    return () => window.clearInterval(timer);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** Shown across the top whenever the window is not connected to the core. */
export function ConnectionBanner() {
  const { status, error, mode, retryAt, attempts } = useConnection();
  const seconds = useSecondsUntil(retryAt);
  if (status === 'connected') return null;
  if (status === 'connecting') {
    return (
      <div className="conn-banner conn-connecting" data-testid="connection-banner" data-state={status}>
        Connecting to Trainyard…
      </div>
    );
  }
  const retrying = seconds === null ? (attempts > 0 ? 'Reconnecting…' : null) : `Retrying in ${seconds} s.`;
  return (
    <div className="conn-banner conn-down" role="alert" data-testid="connection-banner" data-state={status}>
      <span className="conn-text" data-testid="error-banner">
        <strong>{status === 'disconnected' ? 'Disconnected from Trainyard' : 'Could not connect to Trainyard'}</strong>{' '}
        <span className="conn-detail">
          {error ??
            (mode === 'desktop'
              ? 'The connection to the engine was lost.'
              : 'The server closed the connection; live updates have stopped and what is shown may be out of date.')}
        </span>
        {retrying && (
          <>
            {' '}
            <span className="conn-retry" data-testid="connection-retry">
              {retrying}
            </span>
          </>
        )}
      </span>
      <button type="button" className="button button-small" data-testid="reconnect-button" onClick={reconnect}>
        {mode === 'desktop' ? 'Reload' : 'Reconnect now'}
      </button>
    </div>
  );
}
