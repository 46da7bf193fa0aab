/**
 * CareHQ ids: MongoDB ObjectIds, 24 hex digits (`_id`, and `assigned_to` which holds one). The API sorts by
 * `_id` (docs), and the ids it sends are 12-byte ObjectIds written in hex; the simulator makes them the same
 * way (seed.ts). Case is not significant in hex, so upper case is accepted too.
 */
export const CAREHQ_OBJECT_ID = /^[0-9a-fA-F]{24}$/;

/** The vendor id of each GraphQL type CareHQ serves, by type name. */
export const CAREHQ_ID_SHAPES: Readonly<Record<string, RegExp>> = { Enquiry: CAREHQ_OBJECT_ID, User: CAREHQ_OBJECT_ID };
