/**
 * A response's headers as the pipeline reads them: looked up by name, and listed to be cached. A fetch
 * `Headers` has both, so tests and custom fetches hand one in; http-fetch.ts and the caches use `HeaderList`
 * instead. Building a `Headers` validates and sorts every name and value on each append: measured against the
 * CareHQ simulator with 10 calls at once, that was 45–55 µs of CPU per upstream call (a fifth of a bare
 * node:http call), to answer the half-dozen `get`s a call makes.
 */
export interface ResponseHeaders {
  /** Every value of `name` (any case), joined with `, ` as `Headers.get` joins them; null when absent. */
  get(name: string): string | null;
  /** Each name, lower-cased, with its joined value. */
  entries(): Iterable<[string, string]>;
}

/**
 * Headers as the wire gave them, in node's `rawHeaders` layout (name, value, name, value, ...), read only when
 * asked. Names are compared without regard to case, as HTTP wants.
 */
export class HeaderList implements ResponseHeaders {
  /** The names lower-cased, made on the first lookup: most responses are asked a few names, once each. */
  private lowered: string[] | undefined;

  constructor(private readonly raw: readonly string[]) {}

  /** From name/value pairs, as `entries()` lists them (a cached answer). */
  static of(pairs: Iterable<readonly [string, string]>): HeaderList {
    const raw: string[] = [];
    for (const [name, value] of pairs) raw.push(name, value);
    return new HeaderList(raw);
  }

  get(name: string): string | null {
    const wanted = name.toLowerCase();
    const names = (this.lowered ??= this.lowerNames());
    let value: string | null = null;
    for (let i = 0; i < names.length; i += 1) {
      if (names[i] !== wanted) continue;
      const next = this.raw[2 * i + 1] ?? '';
      value = value === null ? next : `${value}, ${next}`;
    }
    return value;
  }

  *entries(): Generator<[string, string]> {
    const names = (this.lowered ??= this.lowerNames());
    const seen = new Set<string>();
    for (const name of names) {
      if (seen.has(name)) continue;
      seen.add(name);
      yield [name, this.get(name) ?? ''];
    }
  }

  private lowerNames(): string[] {
    const names: string[] = [];
    for (let i = 0; i + 1 < this.raw.length; i += 2) names.push((this.raw[i] ?? '').toLowerCase());
    return names;
  }
}
