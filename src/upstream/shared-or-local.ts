/**
 * The one rule every store with a shared side (Redis) and a local stand-in follows: ask the shared side while
 * it is available and answering, the local one otherwise, never fail a call because the shared side is away,
 * and log each change of state once, not once per call. Only the error's message is logged: an ioredis error
 * can carry its command's arguments.
 */
import type { Logger } from 'pino';

export interface SharedOrLocalOptions {
  /** Whether the shared side can be asked now (ioredis: status `ready`); false goes straight to the local one. */
  readonly available: () => boolean;
  /** Where state changes are logged. Default: none. */
  readonly logger?: Logger | undefined;
  /** The warning logged when the shared side stops answering (read then, so it can say how many replicas). */
  readonly lost: () => string;
  /** The line logged when it answers again. */
  readonly back: string;
}

export class SharedOrLocal {
  private degraded = false;

  constructor(private readonly options: SharedOrLocalOptions) {}

  /** Whether the local side is answering now. */
  get usingFallback(): boolean {
    return this.degraded;
  }

  async either<R>(shared: () => Promise<R>, local: () => Promise<R>): Promise<R> {
    if (!this.options.available()) {
      this.setDegraded(true, undefined);
      return local();
    }
    try {
      const result = await shared();
      this.setDegraded(false, undefined);
      return result;
    } catch (error) {
      this.setDegraded(true, error);
      return local();
    }
  }

  private setDegraded(degraded: boolean, error: unknown): void {
    if (degraded === this.degraded) return;
    this.degraded = degraded;
    if (degraded) {
      const reason = error instanceof Error ? error.message : error === undefined ? 'not connected' : String(error);
      this.options.logger?.warn({ reason }, this.options.lost());
    } else {
      this.options.logger?.info(this.options.back);
    }
  }
}
