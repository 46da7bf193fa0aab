import { describe, expect, it } from 'vitest';
import { HeaderList } from '../../src/upstream/response-headers.ts';

/** Raw header lists as node's `rawHeaders` gives them, with the cases a vendor may send. */
const CASES: ReadonlyArray<readonly string[]> = [
  [],
  ['Content-Type', 'application/json', 'X-RateLimit-Limit', '10', 'x-ratelimit-remaining', '9'],
  ['Retry-After', '2', 'retry-after', '3'],
  ['Set-Cookie', 'a=1', 'set-cookie', 'b=2', 'Vary', 'accept', 'VARY', 'origin'],
  ['X-Empty', '', 'RateLimit-Policy', '10;w=1'],
];

describe('HeaderList', () => {
  it('answers every lookup as a fetch Headers built from the same wire headers does', () => {
    for (const raw of CASES) {
      const list = new HeaderList(raw);
      const headers = new Headers();
      for (let i = 0; i < raw.length; i += 2) headers.append(raw[i] ?? '', raw[i + 1] ?? '');
      for (const name of ['content-type', 'X-RATELIMIT-LIMIT', 'x-ratelimit-remaining', 'retry-after', 'vary', 'x-empty', 'ratelimit-policy', 'absent']) {
        expect(list.get(name), `${name} in ${raw.join(',')}`).toBe(headers.get(name));
      }
      // Set-Cookie aside (Headers lists each cookie alone), the lists hold the same pairs; Headers sorts them.
      const expected = [...headers.entries()].filter(([name]) => name !== 'set-cookie');
      const listed = [...list.entries()].filter(([name]) => name !== 'set-cookie');
      expect(listed.sort()).toEqual(expected.sort());
    }
  });

  it('lists a name once, however many times it came, and rebuilds from its own list', () => {
    const list = new HeaderList(['Vary', 'accept', 'x-a', '1', 'vary', 'origin']);
    expect([...list.entries()]).toEqual([
      ['vary', 'accept, origin'],
      ['x-a', '1'],
    ]);
    const copy = HeaderList.of(list.entries());
    expect(copy.get('VARY')).toBe('accept, origin');
    expect(copy.get('x-a')).toBe('1');
  });
});
