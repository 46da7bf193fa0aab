/**
 * Clinicea LeadIDs. The seed and the simulator use whole numbers (`100001`, growing); the public help shows
 * numeric page numbers but no ids, and other Clinicea objects have been seen with either numbers or GUIDs, so
 * any run of letters, digits, `_` and `-` is accepted: enough for both, and never a dot segment, a slash, a
 * query, an escape or whitespace.
 */
export const CLINICEA_LEAD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** The vendor id of each GraphQL type Clinicea serves, by type name. */
export const CLINICEA_ID_SHAPES: Readonly<Record<string, RegExp>> = { Lead: CLINICEA_LEAD_ID };
