/**
 * What the Caseware simulator serves beyond Caseware's docs, and what `strict` does with each (http.ts,
 * `Undocumented`). Documented (vendors.md): `users`, `users/{CWGuid}`, `entities`, `entities/{CWGuid}`,
 * `groups`, `roles`, paged by `page`/`pageSize`, filtered by one `search=<Field><op><value>`.
 */
import type { Undocumented } from '../http.ts';
import { error } from './answers.ts';

// The docs describe `search` as one expression. How the server binds a second one is not documented; a refusal
// is modelled (400 in the observed `{errors:[{message}]}` shape) because a server that silently kept one term
// would answer a wider list than asked, which no client could tell from a right answer.
const refuseRepeat = () => error(400, "Invalid search: 'search' may be given once");

export const CASEWARE_UNDOCUMENTED: readonly Undocumented[] = Object.freeze(
  (['users', 'entities', 'groups', 'roles'] as const).map(
    (pattern): Undocumented => ({
      kind: 'repeated',
      method: 'GET',
      pattern,
      param: 'search',
      refuse: refuseRepeat,
      why: 'repeated search terms (ORed on one field, ANDed across fields) are our extension',
    }),
  ),
);
