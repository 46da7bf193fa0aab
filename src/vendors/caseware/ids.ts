/**
 * Caseware Cloud ids: `CWGuid`, a GUID (docs: "Ids are GUIDs"; `users/{CWGuid}`, `entities/{CWGuid}`), written
 * upper-case by the API and the simulator; lower case is accepted too. The shape also keeps ids safe inside the
 * `search=CWGuid='...'` terms used for batched look-ups, where a quote would end the string.
 */
export const CASEWARE_GUID = /^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/** The vendor id of each GraphQL type Caseware serves, by type name. */
export const CASEWARE_ID_SHAPES: Readonly<Record<string, RegExp>> = { Client: CASEWARE_GUID, User: CASEWARE_GUID };
