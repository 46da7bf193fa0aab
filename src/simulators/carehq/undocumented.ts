/**
 * What the CareHQ simulator serves beyond CareHQ's docs, and what `strict` does with each (http.ts,
 * `Undocumented`). Routes and parameters not listed here are documented (vendors.md, "CareHQ"): `filters-<name>`
 * over a record's fields (so `filters-location` and one `filters-assigned_to`), `sort_by` on a field, and
 * `GET`/`PUT`/`PATCH`/`DELETE` on care enquiries.
 */
import type { Undocumented } from '../http.ts';
import { invalid } from './answers.ts';

// Filters are `filters-<name>` over a resource's fields (vendors.md). A filter the server does not know is most
// plausibly dropped, like any unknown parameter: the list comes back unfiltered.
const ignoredFilter = (pattern: string, param: string, why: string): Undocumented => ({ kind: 'param', method: 'GET', pattern, param, strict: 'ignore', why });

export const CAREHQ_UNDOCUMENTED: readonly Undocumented[] = Object.freeze([
  ignoredFilter('users', 'filters-ids', 'filters-ids is our multi-get; `ids` is no field of a user'),
  ignoredFilter('care-enquiries', 'filters-ids', 'filters-ids is our multi-get; `ids` is no field of a care enquiry'),
  ignoredFilter('care-enquiries', 'filters-created_from', 'a range on `created` is our reading; `created_from` is no field'),
  ignoredFilter('care-enquiries', 'filters-created_to', 'a range on `created` is our reading; `created_to` is no field'),
  {
    kind: 'repeated',
    method: 'GET',
    pattern: 'care-enquiries',
    param: 'filters-assigned_to',
    // `assigned_to` holds one user id, and the docs give no "any of" form. A server that kept one value would
    // answer one user's enquiries as everybody's, which no client could tell from a right answer; the vendor's
    // argument checks (`arg_errors`) refusing the list is the answer modelled.
    refuse: () => invalid({ 'filters-assigned_to': ['Not a valid value.'] }),
    why: 'a repeated filters-assigned_to (any of these users) is our reading of repeated keys',
  },
]);
