/** The core's typed event bus: what the faces subscribe to through the RPC. */
import type { Events } from '../shared/contract';
import type { EventSource } from '../shared/rpc';

export class EventBus implements EventSource<Events> {
  private readonly listeners = new Map<keyof Events, Set<(p: never) => void>>();

  /** `onListenerError` hears of a subscriber that threw (the app writes it to the core log). */
  constructor(private readonly onListenerError?: (event: keyof Events, err: unknown) => void) {}

  on<K extends keyof Events>(event: K, cb: (payload: Events[K]) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(cb as (p: never) => void);
    return () => set!.delete(cb as (p: never) => void);
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    for (const cb of this.listeners.get(event) ?? []) {
      try {
        (cb as (p: Events[K]) => void)(payload);
      } catch (err) {
        // One broken subscriber (a closed socket) must not stop the others or the core.
        this.onListenerError?.(event, err);
      }
    }
  }
}
