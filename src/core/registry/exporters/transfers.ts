/**
 * Long transfers (export, push, pull): each has an id the faces can cancel by, reports its bytes
 * as `model.transfer` events no more often than a bar can show them, and ends in one final event.
 */
import type { TransferProgress } from '../../../shared/contract';
import { TrainyardError, describeError } from '../../../shared/errors';
import type { EventBus } from '../../events';
import { newId } from '../../ids';

/** Progress events at most this often (the last one, with the final state, always goes out). */
const THROTTLE_MS = 200;

export class Cancelled extends TrainyardError {
  constructor(what: string) {
    super('Conflict', `${what} was cancelled`);
  }
}

export interface Transfer {
  readonly id: string;
  readonly signal: AbortSignal;
  /** Sets the total once it is known (a pull learns it from the manifest). */
  total(bytes: number): void;
  add(bytes: number): void;
  /** Throws Cancelled when the transfer was cancelled. */
  check(): void;
}

export class Transfers {
  private readonly live = new Map<string, AbortController>();

  constructor(private readonly bus: EventBus) {}

  /**
   * Runs `work` as a transfer: its final event says completed, failed (with the error's words) or
   * cancelled. A cancel turns whatever `work` throws after the abort into Cancelled.
   */
  async run<T>(opts: { transferId?: string; direction: TransferProgress['direction']; target: string }, work: (t: Transfer) => Promise<T>): Promise<T> {
    const id = opts.transferId ?? newId();
    if (this.live.has(id)) throw new TrainyardError('Conflict', `A transfer with id ${id} is already running`);
    const abort = new AbortController();
    this.live.set(id, abort);
    const state: TransferProgress = { transferId: id, direction: opts.direction, target: opts.target, bytesDone: 0, bytesTotal: 0, state: 'running', error: null };
    let lastEmit = 0;
    const emit = (force: boolean) => {
      const now = Date.now();
      if (!force && now - lastEmit < THROTTLE_MS) return;
      lastEmit = now;
      this.bus.emit('model.transfer', { ...state });
    };
    const what = `The ${opts.direction} to ${opts.target}`;
    const transfer: Transfer = {
      id,
      signal: abort.signal,
      total: (bytes) => {
        state.bytesTotal = bytes;
        emit(true);
      },
      add: (bytes) => {
        state.bytesDone += bytes;
        emit(false);
      },
      check: () => {
        if (abort.signal.aborted) throw new Cancelled(what);
      },
    };
    emit(true);
    try {
      const result = await work(transfer);
      state.bytesDone = Math.max(state.bytesDone, state.bytesTotal);
      state.state = 'completed';
      return result;
    } catch (err) {
      const cancelled = abort.signal.aborted;
      state.state = cancelled ? 'cancelled' : 'failed';
      state.error = cancelled ? 'cancelled' : describeError(err);
      throw cancelled && !(err instanceof Cancelled) ? new Cancelled(what) : err;
    } finally {
      this.live.delete(id);
      emit(true);
    }
  }

  cancel(id: string): boolean {
    const abort = this.live.get(id);
    if (!abort) return false;
    abort.abort();
    return true;
  }
}
