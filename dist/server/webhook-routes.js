import { verifyWebhook } from "../vendors/generic/webhooks.js";
import { GENERIC_WEBHOOK_EVENTS, GENERIC_WEBHOOK_HEADERS } from "../vendors/generic/wire.js";
import { readBytes } from "./http.js";
export const GENERIC_WEBHOOK_PATH = '/webhooks/generic';
const DEFAULTS = Object.freeze({
    secrets: [],
    rememberMs: 24 * 60 * 60 * 1000,
    maxRemembered: 10_000,
    maxBodyBytes: 1024 * 1024,
});
const SECRET_SHAPE = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
/** Throws a message that says which entry is wrong and how, never what it holds. */
function checkSecrets(secrets) {
    secrets.forEach((secret, index) => {
        if (!SECRET_SHAPE.test(secret)) {
            throw new Error(`expected Generic webhook secret #${index + 1} to be whsec_ followed by base64, got ${secret.length} characters of something else`);
        }
    });
    return Object.freeze([...secrets]);
}
function checkCount(name, value, min) {
    if (!Number.isInteger(value) || value < min)
        throw new Error(`expected ${name} to be a whole number >= ${min}, got ${String(value)}`);
}
export class GenericWebhookReceiver {
    deps;
    secrets;
    settings;
    /** webhook-id -> when it may be forgotten (epoch ms). Insertion order is arrival order: oldest first. */
    handled = new Map();
    constructor(deps, options = {}) {
        this.deps = deps;
        const { secrets, ...rest } = { ...DEFAULTS, ...options };
        checkCount('rememberMs', rest.rememberMs, 0);
        checkCount('maxRemembered', rest.maxRemembered, 1);
        checkCount('maxBodyBytes', rest.maxBodyBytes, 1);
        this.secrets = checkSecrets(secrets);
        this.settings = Object.freeze(rest);
    }
    /** Replaces the accepted secrets (a rotation, or the demo's secret once the simulator has issued it). */
    useSecrets(secrets) {
        this.secrets = checkSecrets(secrets);
    }
    route = async (req, res) => {
        const reply = (status, body, headers = {}) => {
            res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
            res.end(body === undefined ? undefined : JSON.stringify(body));
        };
        if (req.method !== 'POST')
            return reply(405, { message: 'webhooks are delivered with POST' }, { allow: 'POST' });
        const bytes = await readBytes(req, this.settings.maxBodyBytes);
        if (!bytes)
            return reply(413, { message: `webhook bodies may be at most ${this.settings.maxBodyBytes} bytes` });
        const headers = {};
        for (const name of Object.values(GENERIC_WEBHOOK_HEADERS)) {
            const value = req.headers[name];
            headers[name] = Array.isArray(value) ? value.join(' ') : value;
        }
        const now = this.deps.clock.now();
        const verdict = this.verify(headers, bytes.toString('utf8'), now);
        if (!verdict.ok) {
            this.deps.logger.warn({ reason: verdict.reason, webhookId: headers['webhook-id'], secretsConfigured: this.secrets.length }, 'generic webhook refused');
            return reply(verdict.reason === 'bad_payload' ? 400 : 401, { message: `webhook not accepted: ${verdict.reason}` });
        }
        // Verified, so the id is the vendor's and not a guess; a redelivery (the sender did not see our 204) is
        // acknowledged again and not acted on again.
        const id = headers['webhook-id'] ?? '';
        this.forgetExpired(now);
        const { type } = verdict.payload;
        if (this.handled.has(id)) {
            this.deps.logger.info({ webhookId: id, type }, 'generic webhook redelivered; already handled');
            return reply(204);
        }
        if (type.startsWith('user.'))
            this.deps.invalidateUsers();
        this.remember(id, now);
        this.deps.logger.info({ webhookId: id, type, invalidated: type.startsWith('user.') }, 'generic webhook handled');
        reply(204);
    };
    /** The first verdict that is not a signature mismatch: a match with any secret decides. */
    verify(headers, rawBody, now) {
        let verdict = { ok: false, reason: 'bad_signature' };
        for (const secret of this.secrets) {
            verdict = verifyWebhook({ headers, rawBody, secret, now });
            if (verdict.ok || verdict.reason !== 'bad_signature')
                return verdict;
        }
        return verdict;
    }
    forgetExpired(now) {
        for (const [id, until] of this.handled) {
            if (until > now)
                break;
            this.handled.delete(id);
        }
    }
    remember(id, now) {
        while (this.handled.size >= this.settings.maxRemembered) {
            const oldest = this.handled.keys().next();
            if (oldest.done)
                break;
            this.handled.delete(oldest.value);
        }
        this.handled.set(id, now + this.settings.rememberMs);
    }
}
/**
 * The demo's wiring: subscribes the gateway's own webhook URL to every event the Generic simulator sends and
 * trusts the secret it issues, so a user created there shows up in `users` at once, caching or not.
 */
export function subscribeToSimulator(sim, gatewayUrl, receiver) {
    const url = new URL(GENERIC_WEBHOOK_PATH, gatewayUrl).toString();
    const result = sim.webhooks.register({ url, events: [...GENERIC_WEBHOOK_EVENTS] });
    if (!result.ok)
        throw new Error(`the Generic simulator refused the webhook subscription for ${url}: ${result.error.message}`);
    receiver.useSecrets([result.webhook.secret]);
    return url;
}
//# sourceMappingURL=webhook-routes.js.map