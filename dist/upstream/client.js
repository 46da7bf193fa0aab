/**
 * The one request pipeline every vendor uses:
 *
 *   cache / in-flight dedup (GET) -> circuit breaker -> retry policy -> rate queue -> auth hook
 *   -> fetch with timeout -> rate signal -> classify
 *
 * The queue sits inside the retry loop so that a retried 429 waits its turn again, and auth runs after the
 * queue so that a signature's timestamp or a token is fresh when the call finally leaves.
 */
import { Keyv } from 'keyv';
import { MemoryBucketStore } from "./bucket-store.js";
import { systemClock } from "./clock.js";
import { UpstreamError, isProblem } from "./errors.js";
import { RateQueue } from "./queue.js";
import { buildOutgoing } from "./request.js";
import { BREAKER_DEFAULTS, RETRY_DEFAULTS, breakerPolicy, fromBrokenCircuit, retryPolicy, } from "./retry.js";
import { send } from "./transport.js";
/** Per process: one queue and one store shared by every vendor's client. */
export class UpstreamCore {
    options;
    queue;
    clock;
    /** The fetch every call uses; vendors' token endpoints use it too, so tests can intercept all traffic. */
    fetch;
    cache;
    constructor(options = {}) {
        this.options = options;
        this.clock = options.clock ?? systemClock;
        this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
        this.cache = options.cache ?? new Keyv();
        this.queue = new RateQueue(options.store ?? new MemoryBucketStore(), this.clock, options.queue);
    }
    /** For the few warnings a vendor logs outside a call (an unpinned SFTP host key). */
    get logger() {
        return this.options.logger;
    }
    client(adapter) {
        return new UpstreamClient(adapter, {
            queue: this.queue,
            clock: this.clock,
            fetch: this.fetch,
            cache: this.cache,
            logger: this.options.logger,
            onCall: this.options.onCall,
            timeoutMs: this.options.timeoutMs ?? 10_000,
            retry: this.options.retry ?? RETRY_DEFAULTS,
            breaker: this.options.breaker ?? BREAKER_DEFAULTS,
        });
    }
}
export class UpstreamClient {
    adapter;
    deps;
    stats = {
        calls: 0,
        failures: 0,
        rateLimited: 0,
        lastStatus: undefined,
        lastSuccessAt: undefined,
        lastFailureAt: undefined,
    };
    inFlight = new Map();
    breaker;
    /** Part of every cache key; a write bumps it so that no later read sees a list from before the write. */
    generation = 0;
    constructor(adapter, deps) {
        this.adapter = adapter;
        this.deps = deps;
        this.breaker = breakerPolicy(deps.breaker);
    }
    /** Sends one call through the pipeline and resolves with the vendor's parsed JSON body. */
    async request(request, call) {
        const response = await this.exchange(request, call);
        return response.body;
    }
    /** Like `request`, but a 404 is null: for lookups where "no such record" is an answer, not a failure. */
    async requestOrNull(request, call) {
        try {
            return await this.request(request, call);
        }
        catch (error) {
            if (isProblem(error, 'not_found'))
                return null;
            throw error;
        }
    }
    /** Like `request`, for callers that need the status, headers or raw bytes (downloads). */
    async exchange(request, call) {
        if (request.method !== 'GET')
            return this.execute(request, call);
        const key = `${this.adapter.budgetKey}|${this.generation}|${buildOutgoing(this.adapter.baseUrl, request).url.toString()}`;
        const ttl = request.cacheTtlMs ?? 0;
        if (ttl > 0) {
            const cached = (await this.deps.cache.get(key));
            if (cached)
                return fromCache(cached);
        }
        const pending = this.inFlight.get(key);
        if (pending)
            return pending;
        const promise = this.execute(request, call).finally(() => this.inFlight.delete(key));
        this.inFlight.set(key, promise);
        const response = await promise;
        if (ttl > 0)
            await this.deps.cache.set(key, toCache(response), ttl);
        return response;
    }
    /** Forgets every cached answer of this vendor (after a write). In-flight reads still complete. */
    invalidate() {
        this.generation += 1;
    }
    async status() {
        return {
            vendor: this.adapter.vendor,
            budget: await this.deps.queue.snapshot(this.adapter.budgetKey, this.adapter.rateSpec),
            queueDepth: this.deps.queue.depth(this.adapter.budgetKey),
            circuit: circuitName(this.breaker.state),
            stats: { ...this.stats },
        };
    }
    async execute(request, call) {
        const idempotent = request.idempotent ?? request.method === 'GET';
        const sent = { last: undefined };
        try {
            return await this.withPolicies(request, call, idempotent, sent);
        }
        catch (error) {
            // One refresh, one more try, never a loop: a second 401 stands.
            if (isProblem(error, 'unauthorized') && this.adapter.refreshCredentials && (await this.adapter.refreshCredentials(sent.last))) {
                return this.withPolicies(request, call, idempotent, sent);
            }
            throw error;
        }
    }
    async withPolicies(request, call, idempotent, sent) {
        const hasTime = () => this.deps.clock.now() < call.deadline;
        const policy = retryPolicy(idempotent, hasTime, this.deps.retry);
        try {
            return await policy.execute(() => this.breaker.execute(() => this.attempt(request, call, sent)));
        }
        catch (error) {
            const mapped = fromBrokenCircuit(this.adapter.vendor, error, this.deps.breaker.halfOpenAfterMs);
            if (mapped !== error)
                this.emitRefusal(request, 'circuit_open', 0);
            throw mapped;
        }
    }
    /** A call refused before it was sent (quota, open circuit, queue deadline) still counts in metrics. */
    emitRefusal(request, outcome, queuedMs) {
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
    async attempt(request, call, sent) {
        const adapter = this.adapter;
        const { queue, clock } = this.deps;
        const queuedAt = clock.now();
        const refused = adapter.admit?.(queuedAt);
        if (refused) {
            this.emitRefusal(request, refused.problem.kind, 0);
            throw new UpstreamError(adapter.vendor, refused.problem, refused.message, undefined, true);
        }
        let permit;
        try {
            permit = await queue.acquire(adapter.budgetKey, adapter.rateSpec, {
                priority: call.priority,
                deadline: call.deadline,
                vendor: adapter.vendor,
            });
        }
        catch (error) {
            this.emitRefusal(request, error instanceof UpstreamError ? error.problem.kind : 'error', clock.now() - queuedAt);
            throw error;
        }
        const started = clock.now();
        let status;
        let outcome = 'ok';
        try {
            // Cleared first: if authorizing itself fails (a refused token request), this try sent nothing, and the
            // 401 hook must not mistake an earlier try's token for the one refused now.
            sent.last = undefined;
            const outgoing = await adapter.authorize(buildOutgoing(adapter.baseUrl, request));
            sent.last = outgoing;
            const timeout = Math.min(this.deps.timeoutMs, Math.max(1, call.deadline - started));
            this.stats.calls += 1;
            const response = await send(this.deps.fetch, adapter.vendor, outgoing, timeout);
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
            }
            else {
                await queue.observe(adapter.budgetKey, adapter.rateSpec, signal);
            }
            throw new UpstreamError(adapter.vendor, classified.problem, classified.message, response.status, false, classified.details);
        }
        catch (error) {
            this.stats.failures += 1;
            this.stats.lastFailureAt = clock.now();
            outcome = error instanceof UpstreamError ? error.problem.kind : 'error';
            throw error;
        }
        finally {
            permit.release();
            const event = {
                vendor: adapter.vendor,
                operation: operationOf(request),
                method: request.method,
                status,
                outcome,
                durationMs: clock.now() - started,
                queuedMs: started - queuedAt,
            };
            this.deps.logger?.debug(event, 'upstream call');
            this.deps.onCall?.(event);
        }
    }
}
/** A low-cardinality name for a call: the vendor's own label, else the method and first path segment. */
function operationOf(request) {
    return request.operation ?? `${request.method} ${request.path.split('/')[0] ?? ''}`;
}
function toCache(response) {
    return {
        status: response.status,
        headers: [...response.headers.entries()],
        body: response.body,
        bytes: Buffer.from(response.bytes).toString('base64'),
    };
}
function fromCache(cached) {
    return {
        status: cached.status,
        headers: new Headers(cached.headers),
        body: cached.body,
        bytes: new Uint8Array(Buffer.from(cached.bytes, 'base64')),
    };
}
function circuitName(state) {
    // cockatiel's CircuitState: 0 Closed, 1 Open, 2 HalfOpen, 3 Isolated.
    return ['closed', 'open', 'half-open', 'isolated'][state] ?? 'closed';
}
//# sourceMappingURL=client.js.map