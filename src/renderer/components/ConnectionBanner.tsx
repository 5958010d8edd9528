import { reconnect, useConnection } from '../stores/connection';

/** Shown across the top whenever the window is not connected to the core. */
export function ConnectionBanner() {
  const { status, error, mode } = useConnection();
  if (status === 'connected') return null;
  if (status === 'connecting') {
    return (
      <div className="conn-banner conn-connecting" data-testid="connection-banner" data-state={status}>
        Connecting to Trainyard…
      </div>
    );
  }
  return (
    <div className="conn-banner conn-down" role="alert" data-testid="connection-banner" data-state={status}>
      <span className="conn-text" data-testid="error-banner">
        <strong>{status === 'disconnected' ? 'Disconnected from Trainyard' : 'Could not connect to Trainyard'}</strong>{' '}
        <span className="conn-detail">
          {error ??
            (mode === 'desktop'
              ? 'The connection to the engine was lost.'
              : 'The server closed the connection; live updates have stopped.')}
        </span>
      </span>
      <button type="button" className="button button-small" data-testid="reconnect-button" onClick={reconnect}>
        Reconnect
      </button>
    </div>
  );
}
