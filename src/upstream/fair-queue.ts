/**
 * The callers waiting for one rate budget, grouped by client and served in turn. Inside a client's line,
 * interactive calls go before background ones, and each kind is first come, first served. Clients take
 * turns round-robin: once a client is served it goes to the back, so one client's burst delays another
 * client's call by at most one turn per waiting client, not by the whole burst.
 *
 * With a single client (open local mode: everyone is `anonymous`) this is exactly the old order:
 * interactive before background, FIFO within each. Background calls yield to their own client's
 * interactive calls; across clients, turns are what keep the peace.
 *
 * Bounded: past either cap a push is refused, and the caller fails at once, so a burst cannot grow memory.
 * queue.ts keeps the budgets and decides when the next waiter may go; this file only decides which one.
 */

export type Priority = 'interactive' | 'background';

/** What the queue needs to know about a waiter to place it. */
export interface Queued {
  readonly client: string;
  readonly priority: Priority;
}

export interface FairQueueLimits {
  /** Waiters of all clients together. */
  readonly maxWaiting: number;
  /** Waiters of one client; below `maxWaiting`, so that one client alone cannot fill the queue. */
  readonly maxWaitingPerClient: number;
}

interface ClientLine<T> {
  readonly interactive: T[];
  readonly background: T[];
}

export type PushResult = 'queued' | 'queue_full' | 'client_full';

export class FairQueue<T extends Queued> {
  /** Clients with waiters, in turn order: Map keeps insertion order, and the first one is served next. */
  private readonly lines = new Map<string, ClientLine<T>>();
  private count = 0;

  constructor(private readonly limits: FairQueueLimits) {}

  get size(): number {
    return this.count;
  }

  /** Joins `item` to the back of its client's line, or says which cap refused it (then nothing changed). */
  push(item: T): PushResult {
    if (this.count >= this.limits.maxWaiting) return 'queue_full';
    let line = this.lines.get(item.client);
    if (line && line.interactive.length + line.background.length >= this.limits.maxWaitingPerClient) return 'client_full';
    if (!line) {
      // A newcomer joins the back of the turn order, behind every client already waiting.
      line = { interactive: [], background: [] };
      this.lines.set(item.client, line);
    }
    line[item.priority].push(item);
    this.count += 1;
    return 'queued';
  }

  /** The waiter to serve next: the head of the line of the client whose turn it is. */
  peek(): T | undefined {
    const first = this.lines.values().next();
    if (first.done) return undefined;
    return first.value.interactive[0] ?? first.value.background[0];
  }

  /** Takes out `item`, which was just served: its client's turn is over, and it goes to the back. */
  served(item: T): void {
    const line = this.take(item);
    if (!line) return;
    this.lines.delete(item.client);
    if (line.interactive.length + line.background.length > 0) this.lines.set(item.client, line);
  }

  /** Takes out `item`, which gave up waiting; its client keeps its place in the turn order. */
  remove(item: T): void {
    const line = this.take(item);
    if (line && line.interactive.length + line.background.length === 0) this.lines.delete(item.client);
  }

  private take(item: T): ClientLine<T> | undefined {
    const line = this.lines.get(item.client);
    const waiting = line?.[item.priority];
    const index = waiting ? waiting.indexOf(item) : -1;
    if (!line || !waiting || index < 0) return undefined;
    waiting.splice(index, 1);
    this.count -= 1;
    return line;
  }
}
