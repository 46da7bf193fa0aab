import { MemoryBucketStore } from "./bucket-store.js";
import { budgetSpentError } from "./budget.js";
import { ResponseCache } from "./cache.js";
import { systemClock } from "./clock.js";
import { UpstreamError, isProblem, isUpstreamError } from "./errors.js";
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
        this.cache = options.cache ?? new ResponseCache();
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
    /**
     * Bumped by every write: a read that started before the write may finish after it, and must not put its
     * answer in the cache, where later reads would see a list from before the write.
     */
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
        const scope = this.adapter.budgetKey;
        const url = buildOutgoing(this.adapter.baseUrl, request).url.toString();
        const ttl = request.cacheTtlMs ?? 0;
        if (ttl > 0) {
            const cached = this.deps.cache.get(scope, url);
            if (cached)
                return cached;
        }
        // In-flight reads are shared per generation: one started before a write must not answer one started after.
        const flightKey = `${this.generation}|${url}`;
        const pending = this.inFlight.get(flightKey);
        if (pending)
            return pending;
        const generation = this.generation;
        const promise = this.execute(request, call).finally(() => this.inFlight.delete(flightKey));
        this.inFlight.set(flightKey, promise);
        const response = await promise;
        if (ttl > 0 && generation === this.generation)
            this.deps.cache.set(scope, url, response, ttl);
        return response;
    }
    /** Forgets every cached answer of this vendor (after a write). In-flight reads still complete, uncached. */
    invalidate() {
        this.generation += 1;
        this.deps.cache.invalidate(this.adapter.budgetKey);
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
        // Spent before queueing, so a request over its budget never waits for a vendor's; given back if the call
        // then never leaves the queue.
        if (call.budget && !call.budget.take()) {
            this.emitRefusal(request, 'call_budget_spent', 0);
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
        }
        catch (error) {
            call.budget?.refund();
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
            const response = await send(this.deps.fetch, adapter.vendor, outgoing, timeout).catch((error) => {
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
/**
 * A timeout that was the caller's remaining deadline, not the upstream timeout: the request ran out of time,
 * which says nothing about the vendor, so it must not be retried nor counted by the breaker.
 */
function asDeadlineExceeded(error) {
    if (!isUpstreamError(error) || error.problem.kind !== 'timeout')
        return error;
    return new UpstreamError(error.vendor, { kind: 'deadline_exceeded' }, `${error.vendor} did not answer before the request's deadline`, undefined, true);
}
/** A low-cardinality name for a call: the vendor's own label, else the method and first path segment. */
function operationOf(request) {
    return request.operation ?? `${request.method} ${request.path.split('/')[0] ?? ''}`;
}
function circuitName(state) {
    // cockatiel's CircuitState: 0 Closed, 1 Open, 2 HalfOpen, 3 Isolated.
    return ['closed', 'open', 'half-open', 'isolated'][state] ?? 'closed';
}
//# sourceMappingURL=client.js.map