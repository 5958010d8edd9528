/**
 * The queued jobs, in memory, in the order the scheduler considers them: effective priority (with
 * aging), then first in. The core is the only writer of the queue, so this mirror of the `queued` rows
 * is exact, and picking the next job costs no SQL scan however many jobs wait.
 *
 * One list per base priority, each ordered by submit time. Within one list the oldest job is also the
 * most boosted, so the lists are each already in effective order and a k-way merge of their heads
 * yields the whole queue in order.
 */
import type { JobKind, JobResources } from '../../shared/contract';
import { effectiveRank } from './aging';

export interface ReadyEntry {
  id: string;
  kind: JobKind;
  rank: number;
  createdAt: number;
  resources: JobResources;
  after: string[];
  notBefore: number | null;
  /** Its size class for duration estimates. */
  sizeKey: string;
  /** The cluster target it runs on; null: this machine. */
  cluster: string | null;
  /** The effective rank subscribers were last told about (aging). */
  announcedRank?: number;
}

export class ReadySet {
  private readonly lists: ReadyEntry[][] = [[], [], [], []];
  private readonly byId = new Map<string, ReadyEntry>();

  get size(): number {
    return this.byId.size;
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  add(e: ReadyEntry): void {
    this.remove(e.id);
    const list = this.lists[e.rank];
    // Usually an append (new jobs are the newest); a re-queued or re-prioritised job is inserted in place.
    let i = list.length;
    while (i > 0 && before(e, list[i - 1])) i--;
    list.splice(i, 0, e);
    this.byId.set(e.id, e);
  }

  remove(id: string): ReadyEntry | undefined {
    const e = this.byId.get(id);
    if (!e) return undefined;
    const list = this.lists[e.rank];
    const i = indexOf(list, e);
    if (i >= 0) list.splice(i, 1);
    this.byId.delete(id);
    return e;
  }

  /**
   * Entries whose effective rank at `now` differs from the rank last announced for them (aging raised
   * them), each marked as announced: what the queue tells subscribers about.
   */
  boosted(now: number, agingMs: number): ReadyEntry[] {
    const out: ReadyEntry[] = [];
    for (const e of this.byId.values()) {
      const rank = effectiveRank(e.rank, now - e.createdAt, agingMs);
      if (rank !== (e.announcedRank ?? e.rank)) {
        e.announcedRank = rank;
        out.push(e);
      }
    }
    return out;
  }

  /** Every queued job in scheduling order at time `now`. */
  *ordered(now: number, agingMs: number): Generator<ReadyEntry> {
    const heads = this.lists.map(() => 0);
    for (;;) {
      let best = -1;
      let bestKey = Infinity;
      let bestCreated = Infinity;
      for (let r = 0; r < this.lists.length; r++) {
        const e = this.lists[r][heads[r]];
        if (!e) continue;
        const key = effectiveRank(r, now - e.createdAt, agingMs);
        if (key < bestKey || (key === bestKey && (e.createdAt < bestCreated || (e.createdAt === bestCreated && r < best)))) {
          best = r;
          bestKey = key;
          bestCreated = e.createdAt;
        }
      }
      if (best < 0) return;
      yield this.lists[best][heads[best]++];
    }
  }
}

const before = (a: ReadyEntry, b: ReadyEntry) => a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

/** Binary search by (createdAt, id): the lists are sorted on it. */
function indexOf(list: ReadyEntry[], e: ReadyEntry): number {
  let lo = 0;
  let hi = list.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = list[mid];
    if (m.id === e.id) return mid;
    if (before(m, e)) lo = mid + 1;
    else hi = mid - 1;
  }
  return list.findIndex((x) => x.id === e.id);
}
