/** The simulators' request logs are bounded, so the demo process's memory stays flat however long it runs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendBounded, LOG_BODY_LIMIT } from '../../src/simulators/http.ts';
import { startCareHqSimulator, type CareHqSimulator } from '../../src/simulators/carehq/server.ts';

describe('simulator request logs', () => {
  it('keep at most the limit (plus a tenth before trimming), newest last, however many are appended', () => {
    const log: number[] = [];
    for (let i = 0; i < 25_000; i += 1) {
      appendBounded(log, i, 1_000);
      expect(log.length).toBeLessThanOrEqual(1_100);
    }
    expect(log.at(-1)).toBe(24_999);
    expect(log[0]).toBeGreaterThanOrEqual(23_900);
    expect(log.every((value, index) => index === 0 || value === (log[index - 1] ?? -1) + 1)).toBe(true);
  });

  describe('over HTTP', () => {
    let sim: CareHqSimulator;
    beforeAll(async () => {
      sim = await startCareHqSimulator();
    });
    afterAll(() => sim.close());

    it('keep only the head of a large request body', async () => {
      const body = 'x'.repeat(LOG_BODY_LIMIT * 3);
      const response = await fetch(`${sim.baseUrl}/care-enquiries`, { method: 'PUT', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      expect(response.status).toBe(401);
      const logged = sim.log.at(-1);
      expect(logged?.method).toBe('PUT');
      expect(logged?.body.length).toBe(LOG_BODY_LIMIT);
    });
  });
});
