import { routeHref, useRoute, type View } from '../stores/ui';
import { useConnection } from '../stores/connection';
import { useSystem } from '../stores/system';

const ITEMS: { view: View; label: string; icon: string }[] = [
  { view: 'jobs', label: 'Jobs', icon: '▤' },
  { view: 'runs', label: 'Runs', icon: '◷' },
  { view: 'studies', label: 'Studies', icon: '⚗' },
  { view: 'models', label: 'Models', icon: '◈' },
  { view: 'datasets', label: 'Datasets', icon: '▦' },
  { view: 'monitor', label: 'Monitor', icon: '◔' },
  { view: 'settings', label: 'Settings', icon: '⚙' },
];

/** Compare is reached from Runs, so Runs stays lit while comparing. */
const isActive = (item: View, view: View) => item === view || (item === 'runs' && view === 'compare');

export function Nav() {
  const view = useRoute((r) => r.view);
  const status = useConnection((s) => s.status);
  const version = useSystem((s) => s.info?.version);
  return (
    <nav className="nav" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Trainyard
      </div>
      <ul>
        {ITEMS.map((item) => (
          <li key={item.view}>
            <a
              href={routeHref(item.view)}
              className={`nav-link${isActive(item.view, view) ? ' active' : ''}`}
              aria-current={isActive(item.view, view) ? 'page' : undefined}
              data-testid={`nav-${item.view}`}
            >
              <span className="nav-icon" aria-hidden="true">
                {item.icon}
              </span>
              {item.label}
            </a>
          </li>
        ))}
      </ul>
      <div className="nav-footer">
        <span className={`dot dot-${status}`} aria-hidden="true" />
        <span data-testid="connection-status">{status}</span>
        {version && <span className="muted"> · v{version}</span>}
      </div>
    </nav>
  );
}
