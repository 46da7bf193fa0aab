/**
 * Webhook subscriptions and deliveries for the Generic OAuth2 API simulator, signed as Standard Webhooks
 * specify (vendors.md): HMAC-SHA256 over `{id}.{timestamp}.{body}`, keyed by the base64-decoded secret after
 * `whsec_`, sent as `webhook-signature: v1,<base64>`. Deliveries go only to loopback URLs: a simulator must
 * never reach the internet, even when someone registers a real address.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { GENERIC_WEBHOOK_EVENTS, GENERIC_WEBHOOK_HEADERS, } from "../../vendors/generic/wire.js";
import { appendBounded } from "../http.js";
/** Deliveries kept for tests and the demo to read, newest last. */
const DELIVERY_LOG_LIMIT = 10_000;
export class WebhookHub {
    options;
    deliveries = [];
    subscriptions = new Map();
    inFlight = new Set();
    timers = new Set();
    aborts = new Set();
    closed = false;
    constructor(options) {
        this.options = options;
    }
    register(input) {
        if (typeof input !== 'object' || input === null || Array.isArray(input)) {
            return invalid('body', input, 'expected a JSON object { url, events }');
        }
        const { url, events } = input;
        if (typeof url !== 'string')
            return invalid('url', url, 'url must be a string');
        let parsed;
        try {
            parsed = new URL(url);
        }
        catch {
            return invalid('url', url, 'url must be an absolute http(s) URL');
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
            return invalid('url', url, 'url must be an absolute http(s) URL');
        }
        if (!isLoopback(parsed.hostname)) {
            return invalid('url', url, 'the simulator delivers only to loopback hosts (127.0.0.0/8, ::1, localhost)');
        }
        const known = GENERIC_WEBHOOK_EVENTS;
        if (!Array.isArray(events) || events.length === 0 || !events.every((e) => known.includes(String(e)))) {
            return invalid('events', events, `events must be a non-empty list of ${known.join(', ')}`);
        }
        const key = randomBytes(24);
        const sub = {
            id: `wh_${randomBytes(8).toString('hex')}`,
            url,
            events: [...new Set(events)],
            createdAt: new Date(this.options.clock()).toISOString(),
            secret: `whsec_${key.toString('base64')}`,
            key,
        };
        this.subscriptions.set(sub.id, sub);
        const { key: _key, ...webhook } = sub;
        return { ok: true, webhook };
    }
    list() {
        return [...this.subscriptions.values()].map(({ id, url, events, createdAt }) => ({ id, url, events, createdAt }));
    }
    remove(id) {
        return this.subscriptions.delete(id);
    }
    /** Queues one delivery per subscriber; returns at once so the API answer never waits on a receiver. */
    emit(type, data) {
        if (this.closed)
            return;
        for (const sub of this.subscriptions.values()) {
            if (!sub.events.includes(type))
                continue;
            const payload = { type, timestamp: new Date(this.options.clock()).toISOString(), data };
            const delivery = {
                messageId: `msg_${randomBytes(12).toString('hex')}`,
                webhookId: sub.id,
                url: sub.url,
                type,
                body: JSON.stringify(payload),
                status: 'pending',
                attempts: [],
            };
            appendBounded(this.deliveries, delivery, DELIVERY_LOG_LIMIT);
            const run = this.deliver(sub, delivery).finally(() => this.inFlight.delete(run));
            this.inFlight.add(run);
        }
    }
    /** Resolves once every queued delivery has succeeded or given up, retries included. */
    async idle() {
        while (this.inFlight.size > 0)
            await Promise.all([...this.inFlight]);
    }
    /** Stops retries and aborts requests in flight; pending deliveries end as failed. */
    close() {
        this.closed = true;
        for (const { timer, wake } of this.timers) {
            clearTimeout(timer);
            wake();
        }
        this.timers.clear();
        for (const abort of this.aborts)
            abort.abort();
    }
    async deliver(sub, delivery) {
        const delays = this.options.retryDelaysMs;
        for (let attempt = 0; attempt <= delays.length && !this.closed; attempt += 1) {
            if (attempt > 0)
                await this.sleep(delays[attempt - 1] ?? 0);
            if (this.closed)
                break;
            const ok = await this.attempt(sub, delivery);
            if (ok) {
                delivery.status = 'delivered';
                return;
            }
        }
        delivery.status = 'failed';
    }
    async attempt(sub, delivery) {
        const now = this.options.clock();
        // Each attempt is signed afresh: receivers reject timestamps older than five minutes, and a retry may
        // come later than that.
        const timestamp = Math.floor(now / 1000);
        const abort = new AbortController();
        this.aborts.add(abort);
        const timeout = setTimeout(() => abort.abort(), this.options.attemptTimeoutMs);
        try {
            const res = await this.options.fetch(sub.url, {
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    'user-agent': 'generic-api-simulator-webhooks',
                    [GENERIC_WEBHOOK_HEADERS.id]: delivery.messageId,
                    [GENERIC_WEBHOOK_HEADERS.timestamp]: String(timestamp),
                    [GENERIC_WEBHOOK_HEADERS.signature]: signWebhook(sub.key, delivery.messageId, timestamp, delivery.body),
                },
                body: delivery.body,
                signal: abort.signal,
            });
            // Drain the body so the keep-alive socket is released.
            await res.arrayBuffer().catch(() => undefined);
            delivery.attempts.push({ at: now, status: res.status });
            return res.ok;
        }
        catch (error) {
            delivery.attempts.push({ at: now, error: error instanceof Error ? error.message : String(error) });
            return false;
        }
        finally {
            clearTimeout(timeout);
            this.aborts.delete(abort);
        }
    }
    sleep(ms) {
        return new Promise((resolve) => {
            const entry = {
                timer: setTimeout(() => {
                    this.timers.delete(entry);
                    resolve();
                }, ms),
                wake: resolve,
            };
            this.timers.add(entry);
        });
    }
}
/** `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed by the raw secret bytes. */
export function signWebhook(key, messageId, timestamp, body) {
    const mac = createHmac('sha256', key).update(`${messageId}.${timestamp}.${body}`).digest('base64');
    return `v1,${mac}`;
}
function isLoopback(hostname) {
    const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
    return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
function invalid(field, value, message) {
    return { ok: false, error: { code: 'INVALID_INPUT', message, details: { field, value } } };
}
//# sourceMappingURL=webhooks.js.map