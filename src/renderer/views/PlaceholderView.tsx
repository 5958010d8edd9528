export function PlaceholderView({ title, message }: { title: string; message: string }) {
  return (
    <div className="view" data-testid="placeholder-view">
      <header className="view-head">
        <h1>{title}</h1>
      </header>
      <p className="placeholder">{message}</p>
    </div>
  );
}
