/** An API error in words, where the user was acting. */
export function ErrorBanner({ message, onDismiss }: { message: string | null | undefined; onDismiss?: () => void }) {
  if (!message) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      <span className="error-banner-text">{message}</span>
      {onDismiss && (
        <button type="button" className="link-button dismiss" onClick={onDismiss} aria-label="Dismiss" title="Dismiss" />
      )}
    </div>
  );
}
