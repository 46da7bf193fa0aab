/**
 * Bounded memory under writes: 2,000 rounds of a write plus a filtered list read with a distinct filter each
 * time, against a gateway in its own process, grow its heap (after GC) by less than 40 MiB. Before the bounded
 * cache, 300 such rounds took the heap from 30 to 276 MiB.
 */
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { startCareHqSimulator } from '../../src/simulators/carehq/server.ts';

describe('heap under a write-and-search soak', () => {
  it('grows by less than 40 MiB over 2,000 rounds with the cache on', async () => {
    const sim = await startCareHqSimulator({ perSecond: 100_000 });
    try {
      const env = {
        ...process.env,
        LOG_LEVEL: 'silent',
        CACHE_TTL_MS: '60000',
        CAREHQ_BASE_URL: sim.baseUrl,
        CAREHQ_ACCOUNT_ID: sim.credentials.accountId,
        CAREHQ_API_KEY: sim.credentials.apiKey,
        CAREHQ_API_SECRET: sim.credentials.apiSecret,
        CAREHQ_REQUESTS_PER_SECOND: '10000',
      };
      const output = await new Promise<string>((resolve, reject) => {
        execFile(process.execPath, ['--expose-gc', '--import', 'tsx', 'test/soak/heap-soak-child.ts'], { env, timeout: 240_000 }, (error, stdout, stderr) =>
          error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });
      const result = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as { rounds: number; beforeMiB: number; afterMiB: number };
      expect(result.rounds).toBe(2000);
      expect(sim.log.filter((entry) => entry.method === 'PUT' && entry.path === 'care-enquiries').length).toBeGreaterThanOrEqual(2000);
      expect(result.afterMiB - result.beforeMiB).toBeLessThan(40);
    } finally {
      await sim.close();
    }
  }, 300_000);
});
