/**
 * What the CareHQ simulator serves beyond CareHQ's docs, and what `strict` does with each (http.ts,
 * `Undocumented`). Routes and parameters not listed here are documented (vendors.md, "CareHQ").
 */
import type { Undocumented } from '../http.ts';

export const CAREHQ_UNDOCUMENTED: readonly Undocumented[] = Object.freeze([
  {
    kind: 'param',
    method: 'GET',
    pattern: 'users',
    param: 'filters-ids',
    // Filters are `filters-<name>` over a resource's fields (vendors.md); `ids` is no field. A filter the
    // server does not know is most plausibly dropped, like any unknown parameter: the list comes back whole.
    strict: 'ignore',
    why: 'filters-ids is our multi-get; the docs only name field filters such as filters-q',
  },
]);
