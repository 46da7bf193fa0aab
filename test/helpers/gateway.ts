/**
 * Starts simulators and a gateway pointed at them on free loopback ports, the way main.ts wires them, so
 * tests exercise the real HTTP path end to end.
 */
import { pino } from 'pino';
import { startGateway, type Gateway, type GatewayOptions } from '../../src/server/gateway.ts';
import { startCareHqSimulator, type CareHqSimulator, type CareHqSimulatorOptions } from '../../src/simulators/carehq/server.ts';

export interface TestStack {
  readonly carehq: CareHqSimulator;
  readonly gateway: Gateway;
  readonly url: string;
  close(): Promise<void>;
}

export interface StackOptions {
  readonly carehq?: CareHqSimulatorOptions;
  /** Overrides for the gateway; by default caching is off so every query reaches the simulator. */
  readonly gateway?: Partial<Omit<GatewayOptions, 'carehq'>> & { carehq?: Partial<GatewayOptions['carehq']> };
}

export async function startStack(options: StackOptions = {}): Promise<TestStack> {
  const carehq = await startCareHqSimulator(options.carehq);
  const gateway = await startGateway({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'silent' }),
    requestTimeoutMs: 15_000,
    ...options.gateway,
    carehq: { baseUrl: carehq.baseUrl, credentials: carehq.credentials, cacheTtlMs: 0, ...options.gateway?.carehq },
  });
  return {
    carehq,
    gateway,
    url: gateway.url,
    close: async () => {
      await gateway.close();
      await carehq.close();
    },
  };
}

/** Requests the simulator saw for a path prefix (below the vendor prefix), e.g. `users`. */
export function callsTo(log: ReadonlyArray<{ path: string; method: string }>, prefix: string, method = 'GET'): number {
  return log.filter((entry) => entry.method === method && entry.path.startsWith(prefix)).length;
}
