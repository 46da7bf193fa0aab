/**
 * One value as one URL path segment. Percent-encoding keeps `/`, `?`, `#` and `%` from changing the URL's
 * shape, but not dot segments: URL resolution treats `.`, `..`, `%2e` and `%2e%2e` alike and climbs out of
 * the resource (`users/..` is the API's root). So those, and the empty segment, are refused outright.
 *
 * Vendors check ids against their own shapes first (src/vendors/<vendor>/ids.ts); this is the last line,
 * and reaching it means a check above was missed, so it throws a plain error rather than a client error.
 */
export function pathSegment(value: string): string {
  if (value === '' || value === '.' || value === '..') {
    throw new RangeError(`refusing ${value === '' ? 'an empty' : 'a dot'} path segment: it would address another resource`);
  }
  return encodeURIComponent(value);
}
