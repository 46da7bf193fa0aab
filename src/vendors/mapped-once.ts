/**
 * Wire record -> domain object, once per cached record. A cache hit hands back the same frozen, parsed body
 * every time (upstream/cache.ts), so mapping it again on each hit would redo the same work for every request
 * (the profile of a warm `enquiries(first: 20)` had toEnquiry near the top, mapping 100 records to return 20).
 * A frozen record is therefore mapped once and its domain object, frozen too since requests share it, kept in
 * a WeakMap that lives exactly as long as the cached record. A record that is not frozen came straight off the
 * wire, is read once, and is mapped without the memo.
 */
export function mappedOnce<W, T>(map: (record: W) => T): (record: W) => T {
  const memo = new WeakMap<object, T>();
  return (record) => {
    if (typeof record !== 'object' || record === null || !Object.isFrozen(record)) return map(record);
    let mapped = memo.get(record);
    if (mapped === undefined) {
      mapped = Object.freeze(map(record));
      memo.set(record, mapped);
    }
    return mapped;
  };
}

const byMap = new WeakMap<object, (record: never) => unknown>();

/** The one memo for `map`, for sources that take their mapping function as an argument. */
export function mappedOnceBy<W, T>(map: (record: W) => T): (record: W) => T {
  let memo = byMap.get(map) as ((record: W) => T) | undefined;
  if (!memo) {
    memo = mappedOnce(map);
    byMap.set(map, memo);
  }
  return memo;
}

const lists = new WeakMap<object, { readonly map: unknown; readonly items: readonly unknown[] }>();

/**
 * `records.map(map)`, once per cached list: a page read from the cache is the same frozen array every time,
 * so its mapped items are kept with it (one lookup per page instead of one per record).
 */
export function mapList<W, T>(records: readonly W[], map: (record: W) => T): readonly T[] {
  if (!Object.isFrozen(records)) return records.map(map);
  const known = lists.get(records);
  if (known && known.map === map) return known.items as readonly T[];
  const items = Object.freeze(records.map(map));
  lists.set(records, { map, items });
  return items;
}

/**
 * A wire record as its domain object's `raw`: the record itself, not a copy. A cached record is frozen and
 * shared (see above), so a copy could guard nothing, and it cost a second object per record for as long as the
 * page stays cached (a walk of 10,000 records kept 10,000 of them). Typed through its own keys because an
 * interface has no index signature.
 */
export function rawOf<W extends object>(record: W): Readonly<Record<string, unknown>> {
  const raw: Readonly<Record<keyof W & string, unknown>> = record;
  return raw;
}
