/**
 * The one request pipeline every vendor uses:
 *
 *   cache / in-flight dedup (GET) -> circuit breaker -> retry policy -> rate queue -> auth hook
 *   -> fetch with timeout -> rate signal -> classify
 *
 * The queue sits inside the retry loop so that a retried 429 waits its turn again, and auth runs after the
 * queue so that a signature's timestamp or a token is fresh when the call finally leaves.
 */
import type { Logger } from 'pino';
import type { VendorAdapter } from './adapter.ts';
import type { BucketStore } from './bucket-store.ts';
import { MemoryBucketStore } from './bucket-store.ts';
import { budgetSpentError, type CallBudget } from './budget.ts';
import { ResponseCache, type UpstreamCache } from './cache.ts';
import { Capabilities } from './capabilities.ts';
import { systemClock, type Clock } from './clock.ts';
import { UpstreamError, isProblem, isUpstreamError } from './errors.ts';
import { RateQueue, type Priority, type QueueOptions } from './queue.ts';
import { MemoryQuotaStore, type QuotaStore } from './quota-store.ts';
import type { BudgetSnapshot } from './rate-limit.ts';
import { httpFetch } from './http-fetch.ts';
import { buildOutgoing, requestKey, type OutgoingRequest, type UpstreamRequest, type UpstreamResponse } from './request.ts';
import {
  BREAKER_DEFAULTS,
  RETRY_DEFAULTS,
  breakerPolicy,
  fromBrokenCircuit,
  retryPolicy,
  type BreakerOptions,
  type RetryOptions,
} from './retry.ts';
import { MemoryTokenStore, type TokenStore } from './token-store.ts';
import type { AttemptTrace, UpstreamTracer } from './tracer.ts';
import { send, type FetchLike } from './transport.ts';

/** What the caller (a GraphQL request, a background sync) brings to every call. */
export interface CallContext {
  readonly priority: Priority;
  /** Epoch ms; the queue waits no longer than this and the call's timeout never runs past it. */
  readonly deadline: number;
  /** Who the call is for (the principal's id); callers waiting for a budget take turns by it. Default `anonymous`. */
  readonly client?: string;
  /** Vendor calls this request may still send (budget.ts); shared by all its calls. Default: no limit. */
  readonly budget?: CallBudget;
  /** The id of the request the call is made for; sent in the adapter's `correlationHeader`, if it has one. */
  readonly requestId?: string;
}

export interface UpstreamCoreOptions {
  /** Default: node's http client on keep-alive agents (http-fetch.ts). */
  readonly fetch?: FetchLike;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Where rate budgets live. Default: in memory. */
  readonly store?: BucketStore;
  /**
   * Response cache for GETs that ask for one. Default: a bounded in-memory LRU (64 MiB, 10,000 entries); with
   * Redis, that LRU in front of Redis (shared-response-cache.ts).
   */
  readonly cache?: UpstreamCache;
  /** Where vendors' OAuth tokens live. Default: in memory, this process only. */
  readonly tokens?: TokenStore;
  /** Where long-period quota counts (CareCloud's month) live. Default: in memory, this process only. */
  readonly quotas?: QuotaStore;
  /** What each vendor supports of our extensions (capabilities.ts). Default: this process's own memory. */
  readonly capabilities?: Capabilities;
  readonly logger?: Logger;
  /** Per-attempt timeout, ms. Default 10000. */
  readonly timeoutMs?: number;
  readonly retry?: RetryOptions;
  readonly breaker?: BreakerOptions;
  readonly queue?: QueueOptions;
  /** Told about every upstream attempt once it has its outcome (metrics, tracing). Must not throw. */
  readonly onCall?: (event: CallEvent) => void;
  /** Told when each attempt queues, is sent and ends (tracing.ts). Default: none. */
  readonly tracer?: UpstreamTracer;
}

/** One attempt at one upstream call, as metrics see it. Carries no credentials, query values or bodies. */
export interface CallEvent {
  readonly vendor: string;
  readonly operation: string;
  readonly method: string;
  /** HTTP status, or undefined when no answer came (timeout, connection failure, refused before sending). */
  readonly status: number | undefined;
  /** `ok`, or the problem kind (`rate_limited`, `server_error`, ...). */
  readonly outcome: string;
  /** Time on the wire, ms. */
  readonly durationMs: number;
  /** Time spent waiting for the rate budget before sending, ms. */
  readonly queuedMs: number;
}

/** Counters a status page and the tests read. */
export interface ClientStats {
  calls: number;
  failures: number;
  /** 429s the vendor actually sent (not our own queue's refusals). */
  rateLimited: number;
  lastStatus: number | undefined;
  lastSuccessAt: number | undefined;
  lastFailureAt: number | undefined;
}

export interface ClientStatus {
  readonly vendor: string;
  readonly budget: BudgetSnapshot;
  readonly queueDepth: number;
  readonly circuit: 'closed' | 'open' | 'half-open' | 'isolated';
  readonly stats: Readonly<ClientStats>;
}

/** Per process: one queue and one store shared by every vendor's client. */
export class UpstreamCore {
  readonly queue: RateQueue;
  readonly clock: Clock;
  /** The fetch every call uses; vendors' token endpoints use it too, so tests can intercept all traffic. */
  readonly fetch: FetchLike;
  readonly cache: UpstreamCache;
  readonly tokens: TokenStore;
  readonly quotas: QuotaStore;
  readonly capabilities: Capabilities;

  constructor(private readonly options: UpstreamCoreOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.fetch = options.fetch ?? httpFetch();
    this.cache = options.cache ?? new ResponseCache();
    this.tokens = options.tokens ?? new MemoryTokenStore({ clock: this.clock });
    this.quotas = options.quotas ?? new MemoryQuotaStore({ clock: this.clock });
    this.capabilities = options.capabilities ?? new Capabilities({ logger: options.logger });
    this.queue = new RateQueue(options.store ?? new MemoryBucketStore(), this.clock, options.queue);
  }

  /** For the few warnings a vendor logs outside a call (an unpinned SFTP host key). */
  get logger(): Logger | undefined {
    return this.options.logger;
  }

  client(adapter: VendorAdapter): UpstreamClient {
    return new UpstreamClient(adapter, {
      queue: this.queue,
      clock: this.clock,
      fetch: this.fetch,
      cache: this.cache,
      logger: this.options.logger,
      onCall: this.options.onCall,
      tracer: this.options.tracer,
      timeoutMs: this.options.timeoutMs ?? 10_000,
      retry: this.options.retry ?? RETRY_DEFAULTS,
      breaker: this.options.breaker ?? BREAKER_DEFAULTS,
    });
  }
}

interface ClientDeps {
  readonly queue: RateQueue;
  readonly clock: Clock;
  readonly fetch: FetchLike;
  readonly cache: UpstreamCache;
  readonly logger: Logger | undefined;
  readonly onCall: ((event: CallEvent) => void) | undefined;
  readonly tracer: UpstreamTracer | undefined;
  readonly timeoutMs: number;
  readonly retry: RetryOptions;
  readonly breaker: BreakerOptions;
}

export class UpstreamClient {
  readonly stats: ClientStats = {
    calls: 0,
    failures: 0,
    rateLimited: 0,
    lastStatus: undefined,
    lastSuccessAt: undefined,
    lastFailureAt: undefined,
  };
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly breaker;
  /**
   * Bumped by every write: a read that started before the write may finish after it, and must not put its
   * answer in the cache, where later reads would see a list from before the write.
   */
  private generation = 0;

  constructor(
    readonly adapter: VendorAdapter,
    private readonly deps: ClientDeps,
  ) {
    this.breaker = breakerPolicy(deps.breaker);
  }

  /** Sends one call through the pipeline and resolves with the vendor's parsed JSON body. */
  async request<T>(request: UpstreamRequest, call: CallContext): Promise<T> {
    const response = await this.exchange(request, call);
    return response.body as T;
  }

  /** Like `request`, but a 404 is null: for lookups where "no such record" is an answer, not a failure. */
  async requestOrNull<T>(request: UpstreamRequest, call: CallContext): Promise<T | null> {
    try {
      return await this.request<T>(request, call);
    } catch (error) {
      if (isProblem(error, 'not_found')) return null;
      throw error;
    }
  }

  /** Like `request`, for callers that need the status, headers or raw bytes (downloads). */
  async exchange(request: UpstreamRequest, call: CallContext): Promise<UpstreamResponse> {
    if (request.method !== 'GET') return this.execute(request, call);
    const scope = this.adapter.budgetKey;
    const url = requestKey(this.adapter.baseUrl, request);
    const ttl = request.cacheTtlMs ?? 0;
    // The shared tier's generation when the lookup was made: an answer is stored under it, so one read before
    // another replica's write is never served after it.
    let shared: string | undefined;
    if (ttl > 0) {
      const found = await this.deps.cache.lookup(scope, url);
      if (found.response) return found.response;
      shared = found.generation;
    }
    // In-flight reads are shared per generation: one started before a write must not answer one started after.
    const flightKey = `${this.generation}|${url}`;
    const pending = this.inFlight.get(flightKey);
    if (pending) return pending as Promise<UpstreamResponse>;
    const generation = this.generation;
    const promise = this.execute(request, call).finally(() => this.inFlight.delete(flightKey));
    this.inFlight.set(flightKey, promise);
    const response = await promise;
    if (ttl > 0 && generation === this.generation) this.deps.cache.store(scope, url, response, ttl, shared);
    return response;
  }

  /**
   * Forgets every cached answer of this vendor (after a write). In-flight reads still complete, uncached.
   * Resolves once every replica sharing the cache will miss them (at once in memory alone); never rejects, so
   * a write's answer can wait for it.
   */
  async invalidate(): Promise<void> {
    this.generation += 1;
    await this.deps.cache.invalidate(this.adapter.budgetKey);
  }

  async status(): Promise<ClientStatus> {
    return {
      vendor: this.adapter.vendor,
      budget: await this.deps.queue.snapshot(this.adapter.budgetKey, this.adapter.rateSpec),
      queueDepth: this.deps.queue.depth(this.adapter.budgetKey),
      circuit: circuitName(this.breaker.state),
      stats: { ...this.stats },
    };
  }

  private async execute(request: UpstreamRequest, call: CallContext): Promise<UpstreamResponse> {
    const idempotent = request.idempotent ?? request.method === 'GET';
    const sent: SentRef = { last: undefined };
    try {
      return await this.withPolicies(request, call, idempotent, sent);
    } catch (error) {
      // One refresh, one more try, never a loop: a second 401 stands.
      if (isProblem(error, 'unauthorized') && this.adapter.refreshCredentials && (await this.adapter.refreshCredentials(sent.last))) {
        return this.withPolicies(request, call, idempotent, sent);
      }
      throw error;
    }
  }

  private async withPolicies(request: UpstreamRequest, call: CallContext, idempotent: boolean, sent: SentRef): Promise<UpstreamResponse> {
    const hasTime = () => this.deps.clock.now() < call.deadline;
    const policy = retryPolicy(idempotent, hasTime, this.deps.retry);
    try {
      return await policy.execute(() => this.breaker.execute(() => this.attempt(request, call, sent)));
    } catch (error) {
      const mapped = fromBrokenCircuit(this.adapter.vendor, error, this.deps.breaker.halfOpenAfterMs);
      if (mapped !== error) this.emitRefusal(request, 'circuit_open', 0);
      throw mapped;
    }
  }

  /** A call refused before it was sent (quota, open circuit, queue deadline) still counts in metrics. */
  private emitRefusal(request: UpstreamRequest, outcome: string, queuedMs: number, trace?: AttemptTrace): void {
    trace?.end(undefined, outcome);
    this.deps.onCall?.({
      vendor: this.adapter.vendor,
      operation: operationOf(request),
      method: request.method,
      status: undefined,
      outcome,
      durationMs: 0,
      queuedMs,
    });
  }

  private async attempt(request: UpstreamRequest, call: CallContext, sent: SentRef): Promise<UpstreamResponse> {
    const adapter = this.adapter;
    const { queue, clock } = this.deps;
    const queuedAt = clock.now();
    const trace = this.deps.tracer?.attemptStarted({ vendor: adapter.vendor, operation: operationOf(request), method: request.method });
    const refused = await adapter.admit?.(queuedAt);
    if (refused) {
      this.emitRefusal(request, refused.problem.kind, 0, trace);
      throw new UpstreamError(adapter.vendor, refused.problem, refused.message, undefined, true);
    }
    // Spent before queueing, so a request over its budget never waits for a vendor's; given back if the call
    // then never leaves the queue.
    if (call.budget && !call.budget.take()) {
      this.emitRefusal(request, 'call_budget_spent', 0, trace);
      throw budgetSpentError(adapter.vendor, call.budget.limit);
    }
    let permit;
    try {
      permit = await queue.acquire(adapter.budgetKey, adapter.rateSpec, {
        priority: call.priority,
        deadline: call.deadline,
        vendor: adapter.vendor,
        client: call.client,
      });
    } catch (error) {
      call.budget?.refund();
      this.emitRefusal(request, error instanceof UpstreamError ? error.problem.kind : 'error', clock.now() - queuedAt, trace);
      throw error;
    }
    const started = clock.now();
    let status: number | undefined;
    let outcome = 'ok';
    try {
      // Cleared first: if authorizing itself fails (a refused token request), this try sent nothing, and the
      // 401 hook must not mistake an earlier try's token for the one refused now.
      sent.last = undefined;
      const built = buildOutgoing(adapter.baseUrl, request);
      if (adapter.correlationHeader && call.requestId) built.headers[adapter.correlationHeader] = call.requestId;
      Object.assign(built.headers, trace?.sending());
      const outgoing = await adapter.authorize(built);
      sent.last = outgoing;
      const timeout = Math.min(this.deps.timeoutMs, Math.max(1, call.deadline - started));
      this.stats.calls += 1;
      const response = await send(this.deps.fetch, adapter.vendor, outgoing, timeout).catch((error: unknown) => {
        throw timeout < this.deps.timeoutMs ? asDeadlineExceeded(error) : error;
      });
      status = response.status;
      this.stats.lastStatus = status;
      const now = clock.now();
      const signal = adapter.readRateSignal(response, now);
      if (response.status >= 200 && response.status < 300) {
        await queue.observe(adapter.budgetKey, adapter.rateSpec, signal);
        this.stats.lastSuccessAt = now;
        return response;
      }
      const classified = adapter.classifyError(response, now);
      if (classified.problem.kind === 'rate_limited') {
        this.stats.rateLimited += 1;
        await queue.observe(adapter.budgetKey, adapter.rateSpec, {
          ...signal,
          retryAfterMs: signal.retryAfterMs ?? classified.problem.retryAfterMs,
        });
      } else {
        await queue.observe(adapter.budgetKey, adapter.rateSpec, signal);
      }
      throw new UpstreamError(adapter.vendor, classified.problem, classified.message, response.status, false, classified.details);
    } catch (error) {
      this.stats.failures += 1;
      this.stats.lastFailureAt = clock.now();
      outcome = error instanceof UpstreamError ? error.problem.kind : 'error';
      throw error;
    } finally {
      permit.release();
      const event: CallEvent = {
        vendor: adapter.vendor,
        operation: operationOf(request),
        method: request.method,
        status,
        outcome,
        durationMs: clock.now() - started,
        queuedMs: started - queuedAt,
      };
      // The request's id is the call context's to give: the logger is the process's, bound to no request.
      // Checked first, as below debug the line is dropped and its copy of the event would be made for nothing.
      if (this.deps.logger?.isLevelEnabled('debug')) this.deps.logger.debug(call.requestId === undefined ? event : { ...event, requestId: call.requestId }, 'upstream call');
      trace?.end(status, outcome);
      this.deps.onCall?.(event);
    }
  }
}

/**
 * A timeout that was the caller's remaining deadline, not the upstream timeout: the request ran out of time,
 * which says nothing about the vendor, so it must not be retried nor counted by the breaker.
 */
function asDeadlineExceeded(error: unknown): unknown {
  if (!isUpstreamError(error) || error.problem.kind !== 'timeout') return error;
  return new UpstreamError(
    error.vendor,
    { kind: 'deadline_exceeded' },
    `${error.vendor} did not answer before the request's deadline`,
    undefined,
    true,
  );
}

/** A low-cardinality name for a call: the vendor's own label, else the method and first path segment. */
function operationOf(request: UpstreamRequest): string {
  return request.operation ?? `${request.method} ${request.path.split('/')[0] ?? ''}`;
}

/** The last request one call sent, kept for the adapter's 401 hook; never logged. */
interface SentRef {
  last: OutgoingRequest | undefined;
}

function circuitName(state: number): ClientStatus['circuit'] {
  // cockatiel's CircuitState: 0 Closed, 1 Open, 2 HalfOpen, 3 Isolated.
  return (['closed', 'open', 'half-open', 'isolated'] as const)[state] ?? 'closed';
}
