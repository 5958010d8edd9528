/**
 * What a table says before its first answer: "Loading jobs…" while the connection is open or
 * opening, and why nothing can load once it failed (no access token, a refused token, a stopped
 * server), so a page opened without the token does not say "Loading" forever.
 */
import { useConnection } from '../stores/connection';

export function useNotLoadedText(what: string): string {
  const status = useConnection((s) => s.status);
  const error = useConnection((s) => s.error);
  if (status === 'failed' || status === 'disconnected') {
    return `The ${what} cannot load: ${error ?? 'not connected to Trainyard.'}`;
  }
  return `Loading ${what}…`;
}
