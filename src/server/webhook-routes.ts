/**
 * `POST /webhooks/generic`: the Generic API's Standard Webhooks deliveries, verified against the raw body
 * before anything in it is believed (vendors.md, "Webhooks"). A verified `user.*` event drops the Generic
 * data source's cached answers, so the next `users` query sees the change even with caching on.
 *
 *   204  accepted, or a redelivery of an id already handled (acted on once only)
 *   400  signed correctly, but the payload is not `{type, timestamp, data}`
 *   401  missing webhook headers, a timestamp outside the tolerance, or no secret's signature matches
 *   413  body over the limit
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GenericSimulator } from '../simulators/generic/server.ts';
import type { Clock } from '../upstream/clock.ts';
import { changeEvent, removalEvent, type EventFeed, type VendorEvent, type VendorEventType } from '../domain/events.ts';
import { verifyWebhook, webhookUser, webhookUserId, type WebhookVerdict } from '../vendors/generic/webhooks.ts';
import { GENERIC_WEBHOOK_EVENTS, GENERIC_WEBHOOK_HEADERS } from '../vendors/generic/wire.ts';
import { readBytes, type RouteHandler } from './http.ts';
import { requestIdOf } from './request-id.ts';
import { MemoryDeliveryIds, SharedDeliveryIds, type DeliveryIds } from './webhook-ids.ts';

export const GENERIC_WEBHOOK_PATH = '/webhooks/generic';

export interface GenericWebhookOptions {
  /**
   * Signing secrets accepted, each `whsec_<base64>`; more than one while an old one is rotated out.
   * Default none: every delivery is refused with 401 until `useSecrets` names one.
   */
  readonly secrets?: readonly string[];
  /** How long a handled `webhook-id` is remembered so a redelivery is not acted on twice, ms. Default 24 h. */
  readonly rememberMs?: number;
  /** Most ids remembered at once in memory; past it the oldest are forgotten first. Default 10000. */
  readonly maxRemembered?: number;
  /** Largest body accepted, bytes. Default 1 MiB. */
  readonly maxBodyBytes?: number;
}

export interface GenericWebhookDeps {
  /** Drops the Generic data source's cached answers; the 204 waits for it. */
  readonly invalidateUsers: () => void | Promise<void>;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Handled ids are shared by every replica through it (memory when it fails). Default: memory alone. */
  readonly redis?: Redis | undefined;
  /** Prefix of the ids' keys in Redis. Default `vendor-graph:webhook:`. */
  readonly redisPrefix?: string | undefined;
  /** Live events: each verified `user.*` delivery is published as a change. Default: none published. */
  readonly events?: EventFeed | undefined;
}

/** The vendor's event names, as the change each one reports. */
const CHANGE_OF: Readonly<Record<string, VendorEventType>> = { created: 'CREATED', updated: 'UPDATED', deleted: 'DELETED' };

const DEFAULTS = Object.freeze({
  secrets: [] as readonly string[],
  rememberMs: 24 * 60 * 60 * 1000,
  maxRemembered: 10_000,
  maxBodyBytes: 1024 * 1024,
});

const SECRET_SHAPE = /^whsec_[A-Za-z0-9+/]+={0,2}$/;

/** Throws a message that says which entry is wrong and how, never what it holds. */
function checkSecrets(secrets: readonly string[]): readonly string[] {
  secrets.forEach((secret, index) => {
    if (!SECRET_SHAPE.test(secret)) {
      throw new Error(`expected Generic webhook secret #${index + 1} to be whsec_ followed by base64, got ${secret.length} characters of something else`);
    }
  });
  return Object.freeze([...secrets]);
}

function checkCount(name: string, value: number, min: number): void {
  if (!Number.isInteger(value) || value < min) throw new Error(`expected ${name} to be a whole number >= ${min}, got ${String(value)}`);
}

export class GenericWebhookReceiver {
  private secrets: readonly string[];
  private readonly settings: Readonly<Required<Omit<GenericWebhookOptions, 'secrets'>>>;
  private readonly ids: DeliveryIds;

  constructor(
    private readonly deps: GenericWebhookDeps,
    options: GenericWebhookOptions = {},
  ) {
    const { secrets, ...rest } = { ...DEFAULTS, ...options };
    checkCount('rememberMs', rest.rememberMs, 0);
    checkCount('maxRemembered', rest.maxRemembered, 1);
    checkCount('maxBodyBytes', rest.maxBodyBytes, 1);
    this.secrets = checkSecrets(secrets);
    this.settings = Object.freeze(rest);
    const bound = { maxRemembered: rest.maxRemembered };
    this.ids = deps.redis
      ? new SharedDeliveryIds(deps.redis, { ...bound, logger: deps.logger, ...(deps.redisPrefix ? { prefix: deps.redisPrefix } : {}) })
      : new MemoryDeliveryIds(bound);
  }

  /** Replaces the accepted secrets (a rotation, or the demo's secret once the simulator has issued it). */
  useSecrets(secrets: readonly string[]): void {
    this.secrets = checkSecrets(secrets);
  }

  readonly route: RouteHandler = async (req, res) => {
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, body === undefined ? headers : { 'content-type': 'application/json', ...headers });
      res.end(body === undefined ? undefined : JSON.stringify(body));
    };
    if (req.method !== 'POST') return reply(405, { message: 'webhooks are delivered with POST' }, { allow: 'POST' });
    const bytes = await readBytes(req, this.settings.maxBodyBytes);
    if (!bytes) return reply(413, { message: `webhook bodies may be at most ${this.settings.maxBodyBytes} bytes` });

    const headers: Record<string, string | undefined> = {};
    for (const name of Object.values(GENERIC_WEBHOOK_HEADERS)) {
      const value = req.headers[name];
      headers[name] = Array.isArray(value) ? value.join(' ') : value;
    }
    const now = this.deps.clock.now();
    const requestId = requestIdOf(req);
    const verdict = this.verify(headers, bytes.toString('utf8'), now);
    if (!verdict.ok) {
      this.deps.logger.warn(
        { reason: verdict.reason, webhookId: headers['webhook-id'], secretsConfigured: this.secrets.length, requestId },
        'generic webhook refused',
      );
      return reply(verdict.reason === 'bad_payload' ? 400 : 401, { message: `webhook not accepted: ${verdict.reason}` });
    }

    // Verified, so the id is the vendor's and not a guess; a redelivery (the sender did not see our 204) is
    // acknowledged again and not acted on again. Claimed before acting, in one step, so that two replicas
    // given the same delivery act on it once between them.
    const id = headers['webhook-id'] ?? '';
    const { type } = verdict.payload;
    if (!(await this.ids.claim(id, now, this.settings.rememberMs))) {
      this.deps.logger.info({ webhookId: id, type, requestId }, 'generic webhook redelivered; already handled');
      return reply(204);
    }
    if (type.startsWith('user.')) {
      await this.deps.invalidateUsers();
      this.publish(type, verdict.payload.data, verdict.payload.timestamp);
    }
    this.deps.logger.info({ webhookId: id, type, invalidated: type.startsWith('user.'), requestId }, 'generic webhook handled');
    reply(204);
  };

  private publish(type: string, data: unknown, timestamp: string): void {
    const change = CHANGE_OF[type.slice('user.'.length)];
    if (!change || !this.deps.events) return;
    const at = new Date(timestamp);
    const occurredAt = Number.isNaN(at.getTime()) ? new Date(this.deps.clock.now()).toISOString() : at.toISOString();
    const event = userEvent(change, data, occurredAt);
    if (event) this.deps.events.publish(event);
  }

  /** The first verdict that is not a signature mismatch: a match with any secret decides. */
  private verify(headers: Record<string, string | undefined>, rawBody: string, now: number): WebhookVerdict {
    let verdict: WebhookVerdict = { ok: false, reason: 'bad_signature' };
    for (const secret of this.secrets) {
      verdict = verifyWebhook({ headers, rawBody, secret, now });
      if (verdict.ok || verdict.reason !== 'bad_signature') return verdict;
    }
    return verdict;
  }
}

/** A delivery's change as an event; undefined when `data` does not name a user (nothing is published). */
function userEvent(change: VendorEventType, data: unknown, occurredAt: string): VendorEvent | undefined {
  if (change === 'DELETED') {
    // The user is gone: the event carries its id alone, whatever else the delivery says of it.
    const vendorId = webhookUserId(data);
    return vendorId === undefined ? undefined : removalEvent({ entityType: 'USER', vendor: 'GENERIC', vendorId }, 'WEBHOOK', occurredAt);
  }
  const user = webhookUser(data);
  return user && changeEvent(change, { entityType: 'USER', entity: user }, 'WEBHOOK', occurredAt);
}

/**
 * The demo's wiring: subscribes the gateway's own webhook URL to every event the Generic simulator sends and
 * trusts the secret it issues, so a user created there shows up in `users` at once, caching or not.
 */
export function subscribeToSimulator(sim: GenericSimulator, gatewayUrl: string, receiver: GenericWebhookReceiver): string {
  const url = new URL(GENERIC_WEBHOOK_PATH, gatewayUrl).toString();
  const result = sim.webhooks.register({ url, events: [...GENERIC_WEBHOOK_EVENTS] });
  if (!result.ok) throw new Error(`the Generic simulator refused the webhook subscription for ${url}: ${result.error.message}`);
  receiver.useSecrets([result.webhook.secret]);
  return url;
}
