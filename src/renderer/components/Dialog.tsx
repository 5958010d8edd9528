/** A modal form: its title, body and actions; Escape or a click on the backdrop closes it unless it is at work. */
import { useEffect, type ReactNode } from 'react';

export function Dialog({
  title,
  testId,
  busy = false,
  onClose,
  children,
  actions,
  wide = false,
}: {
  title: string;
  testId: string;
  busy?: boolean;
  onClose(): void;
  children: ReactNode;
  actions: ReactNode;
  wide?: boolean;
}) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !busy) onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose, busy]);
  const titleId = `${testId}-title`;
  return (
    <div className="modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && !busy && onClose()}>
      <div className={`modal${wide ? ' modal-wide' : ''}`} role="dialog" aria-modal="true" aria-labelledby={titleId} data-testid={testId}>
        <h2 id={titleId}>{title}</h2>
        <div className="modal-body">{children}</div>
        <div className="modal-actions">{actions}</div>
      </div>
    </div>
  );
}
