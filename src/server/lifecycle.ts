/**
 * The one place that knows the server's state: liveness, readiness, and the drain on SIGTERM.
 *
 *   /healthz  the process is alive (a hung event loop cannot answer it)
 *   /readyz   200 only while serving and, with Redis configured, while Redis answers; a JSON report of each
 *             part. A vendor outage alone does not make the gateway unready: other vendors still serve, and a
 *             load balancer pulling every replica would turn one vendor's outage into a total one.
 *
 * A drain stops accepting connections, lets requests in flight finish for up to the grace period, closes
 * kept-alive sockets as they go idle (and tells their clients so), then closes whatever is left.
 */
import type { Server } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { VendorHandle } from '../graphql/vendors.ts';
import type { RouteHandler } from './http.ts';

export interface LifecycleOptions {
  readonly server: Server;
  /** Websocket connections (subscriptions): closed with 1001 when a drain starts, cut when its grace ends. */
  readonly live?: { close(): Promise<void>; terminate(): void };
  /** Read on each readiness check, for the breaker states in the report. */
  readonly vendors: () => readonly VendorHandle[];
  /** Checked by readiness when configured. */
  readonly redis?: Redis;
  /** How long requests in flight may take to finish once a drain starts, ms. Default 10000. */
  readonly graceMs?: number;
  readonly logger: Logger;
}

type State = 'serving' | 'draining' | 'stopped';

/** A readiness probe must answer fast; a Redis that takes longer than this counts as unreachable. */
const REDIS_PING_TIMEOUT_MS = 500;
/** How often a drain closes sockets that went idle after their last response. */
const IDLE_SWEEP_MS = 50;

export class Lifecycle {
  private state: State = 'serving';
  private drained: Promise<void> | undefined;

  constructor(private readonly options: LifecycleOptions) {
    // While draining, every answer asks its client to reconnect (to another replica) rather than keep the socket.
    options.server.on('request', (_req, res) => {
      if (this.state !== 'serving') res.setHeader('connection', 'close');
    });
  }

  get draining(): boolean {
    return this.state !== 'serving';
  }

  readonly healthz: RouteHandler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: 'alive' }));
  };

  readonly readyz: RouteHandler = async (_req, res) => {
    const [redis, vendors] = await Promise.all([this.redisReport(), this.vendorReport()]);
    const ready = this.state === 'serving' && (redis === undefined || redis.reachable);
    res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ status: ready ? 'ready' : this.state === 'serving' ? 'unready' : 'draining', draining: this.draining, redis: redis ?? null, vendors }));
  };

  /** Idempotent: a second signal waits for the same drain. */
  drain(): Promise<void> {
    this.drained ??= this.run();
    return this.drained;
  }

  private async run(): Promise<void> {
    const { server, logger } = this.options;
    const graceMs = this.options.graceMs ?? 10_000;
    this.state = 'draining';
    logger.info({ graceMs }, 'draining: refusing new connections, finishing requests in flight');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Subscriptions never end by themselves, so a drain ends them: clients reconnect to another replica.
    const liveClosed = this.options.live?.close().catch((error: unknown) => logger.warn({ err: error }, 'drain: closing websockets failed'));
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    server.closeIdleConnections();
    let forced = false;
    const deadline = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
      this.options.live?.terminate();
    }, graceMs);
    try {
      await Promise.all([closed, liveClosed]);
    } finally {
      clearInterval(sweep);
      clearTimeout(deadline);
      this.state = 'stopped';
    }
    if (forced) logger.warn({ graceMs }, 'drain: requests still in flight after the grace period were cut off');
    else logger.info('drained');
  }

  private async redisReport(): Promise<{ reachable: boolean } | undefined> {
    const redis = this.options.redis;
    if (!redis) return undefined;
    const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), REDIS_PING_TIMEOUT_MS).unref());
    const ping = redis.ping().then(
      (answer) => answer === 'PONG',
      () => false,
    );
    return { reachable: await Promise.race([ping, timeout]) };
  }

  private async vendorReport(): Promise<Array<{ vendor: string; mode: string; circuit: string }>> {
    return Promise.all(
      this.options.vendors().map(async (handle) => ({ vendor: handle.vendor, mode: handle.mode, circuit: (await handle.client.status()).circuit })),
    );
  }
}
