import { describe, expect, it } from 'vitest';
import { NonceLedger } from '../../src/simulators/carehq/signature.ts';

const TOLERANCE = 300;

describe('CareHQ simulator: nonce ledger', () => {
  it('refuses a nonce seen within the window and forgets it once its timestamp would be stale', () => {
    const ledger = new NonceLedger();
    expect(ledger.claim('n1', 1000, 1000, TOLERANCE)).toBe('claimed');
    expect(ledger.claim('n1', 1000, 1000 + TOLERANCE, TOLERANCE)).toBe('replayed');
    // Past the window the timestamp check refuses the old request; the ledger has let the entry go.
    expect(ledger.claim('n2', 1301, 1301, TOLERANCE)).toBe('claimed');
    expect(ledger.size).toBe(1);
  });

  it('expires from the oldest claim onwards, stopping at the first one still live', () => {
    const ledger = new NonceLedger();
    for (let i = 0; i < 50; i += 1) ledger.claim(`n${i}`, 1000 + i, 1000 + i, TOLERANCE);
    ledger.claim('late', 1320, 1320, TOLERANCE);
    // Timestamps 1000..1019 are more than 300 s old at 1320; 1020..1049 are not.
    expect(ledger.size).toBe(31);
    expect(ledger.claim('n20', 1020, 1320, TOLERANCE)).toBe('replayed');
  });

  it('holds at most maxEntries, and still refuses a replay of a nonce it had to forget', () => {
    const ledger = new NonceLedger({ maxEntries: 3 });
    const now = 2000;
    for (const [nonce, at] of [['a', 1990], ['b', 1991], ['c', 1992], ['d', 1993], ['e', 1994]] as const) {
      expect(ledger.claim(nonce, at, now, TOLERANCE)).toBe('claimed');
    }
    expect(ledger.size).toBe(3);
    // 'a' and 'b' were forgotten within the window: their timestamps are refused rather than trusted.
    expect(ledger.claim('a', 1990, now, TOLERANCE)).toBe('forgotten');
    expect(ledger.claim('b', 1991, now, TOLERANCE)).toBe('forgotten');
    expect(ledger.claim('fresh-but-old', 1991, now, TOLERANCE)).toBe('forgotten');
    expect(ledger.claim('e', 1994, now, TOLERANCE)).toBe('replayed');
    expect(ledger.claim('f', 2000, now, TOLERANCE)).toBe('claimed');
    expect(ledger.size).toBe(3);
  });

  it('refuses a bound that is not a whole number of entries', () => {
    expect(() => new NonceLedger({ maxEntries: 0 })).toThrow(/expected maxEntries to be a whole number >= 1, got 0/);
  });
});
