/**
 * Generic API user ids. The API documents none; the simulator's are `usr_` and 12 base36 characters (our
 * choice). Accepted: a letter or digit, then up to 127 of RFC 3986's unreserved characters (letters, digits,
 * `.`, `_`, `~`, `-`), which covers prefixed ids, UUIDs and numbers alike. The first character keeps out `.`
 * and `..`; a comma never appears, so an id cannot split the comma-separated `ids=` batch in two.
 */
export const GENERIC_USER_ID = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/** The vendor id of each GraphQL type the Generic API serves, by type name. */
export const GENERIC_ID_SHAPES: Readonly<Record<string, RegExp>> = { User: GENERIC_USER_ID };
