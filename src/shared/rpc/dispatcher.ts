/**
 * The core's side of one connection: validates every call against the contract, runs it, answers.
 * A malformed message or an invalid payload gets a typed error; the connection stays open.
 */
import type { z } from 'zod';
import { EVENT_NAMES, methodSchema, type ApiHandlers, type EventName, type Events } from '../contract';
import { InvalidInput, NotFound, toWireError, type WireError } from '../errors';
import type { EventSource, ServerMessage, Transport } from './protocol';

export function zodToInvalidInput(error: z.ZodError, prefix = ''): InvalidInput {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  const message = issue ? issue.message : 'Invalid input';
  return new InvalidInput(field ? `${field}: ${message}` : message, field || undefined);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function serveConnection(opts: {
  handlers: ApiHandlers;
  events: EventSource<Events>;
  transport: Transport<ServerMessage>;
}): () => void {
  const { handlers, events, transport } = opts;
  const subscriptions = new Map<string, () => void>();
  let open = true;

  const send = (msg: ServerMessage) => {
    if (open) transport.send(msg);
  };
  const fail = (id: number | undefined, error: WireError) =>
    id === undefined ? send({ t: 'error', error }) : send({ t: 'result', id, ok: false, error });

  const onCall = async (id: number, method: string, input: unknown) => {
    const schema = methodSchema(method);
    if (!schema) return fail(id, new NotFound('Method', JSON.stringify(method)).toWire());
    const parsed = schema.input.safeParse(input ?? {});
    if (!parsed.success) return fail(id, zodToInvalidInput(parsed.error).toWire());
    const [group, name] = method.split('.') as [string, string];
    const fn = (handlers as unknown as Record<string, Record<string, (i: unknown) => Promise<unknown>>>)[group][name];
    try {
      const output = await fn(parsed.data);
      send({ t: 'result', id, ok: true, output });
    } catch (err) {
      fail(id, toWireError(err));
    }
  };

  const offMessage = transport.onMessage((raw) => {
    if (!isRecord(raw)) return fail(undefined, new InvalidInput('Message must be an object').toWire());
    const id = typeof raw.id === 'number' && Number.isInteger(raw.id) ? raw.id : undefined;
    switch (raw.t) {
      case 'call':
        if (id === undefined) return fail(undefined, new InvalidInput('A call needs an integer id', 'id').toWire());
        if (typeof raw.method !== 'string') return fail(id, new InvalidInput('method must be a string', 'method').toWire());
        void onCall(id, raw.method, raw.input);
        return;
      case 'listen': {
        const event = raw.event as EventName;
        if (!EVENT_NAMES.includes(event)) return fail(undefined, new InvalidInput(`Unknown event ${String(raw.event)}`, 'event').toWire());
        if (!subscriptions.has(event)) {
          subscriptions.set(event, events.on(event, (payload) => send({ t: 'event', event, payload })));
        }
        return;
      }
      case 'unlisten':
        subscriptions.get(String(raw.event))?.();
        subscriptions.delete(String(raw.event));
        return;
      default:
        return fail(id, new InvalidInput(`Unknown message type ${JSON.stringify(raw.t)}`, 't').toWire());
    }
  });

  const dispose = () => {
    if (!open) return;
    open = false;
    offMessage();
    offClose();
    for (const off of subscriptions.values()) off();
    subscriptions.clear();
  };
  const offClose = transport.onClose(dispose);
  return dispose;
}
