/**
 * One subscriber's events: an async iterator over a bounded queue. Events arrive faster than a slow socket
 * drains them; past `maxQueued` waiting events the subscriber is given up on (`onOverflow`) rather than
 * letting its queue grow without bound or silently losing events it would never know it missed.
 */

export interface EventQueueOptions {
  /** Most events waiting at once; one more calls `onOverflow` and ends the iterator. */
  readonly maxQueued: number;
  readonly onOverflow: () => void;
  /** Runs once when the iterator ends, however it ends (completed, overflowed, closed). */
  readonly onEnd: () => void;
}

export class EventQueue<T> implements AsyncIterableIterator<T> {
  private readonly waiting: T[] = [];
  /** A `next()` waiting for the next event, when the queue is empty. */
  private pending: ((result: IteratorResult<T>) => void) | undefined;
  private ended = false;

  constructor(private readonly options: EventQueueOptions) {}

  get size(): number {
    return this.waiting.length;
  }

  push(value: T): void {
    if (this.ended) return;
    if (this.pending) {
      const resolve = this.pending;
      this.pending = undefined;
      resolve({ value, done: false });
      return;
    }
    if (this.waiting.length >= this.options.maxQueued) {
      this.end();
      this.options.onOverflow();
      return;
    }
    this.waiting.push(value);
  }

  next(): Promise<IteratorResult<T>> {
    const value = this.waiting.shift();
    if (value !== undefined) return Promise.resolve({ value, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.pending = resolve;
    });
  }

  /** Ends at once, even while a `next()` waits: the subscriber's listener is removed now, not at the next event. */
  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.waiting.length = 0;
    const resolve = this.pending;
    this.pending = undefined;
    resolve?.({ value: undefined, done: true });
    this.options.onEnd();
  }
}
