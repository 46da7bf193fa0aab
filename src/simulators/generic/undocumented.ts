/**
 * What the Generic API simulator serves beyond its docs, and what `strict` does with each (http.ts,
 * `Undocumented`). Documented (generic.txt): `GET users/me`, lists with `page`/`limit`, `POST users/bulk`.
 */
import type { Undocumented } from '../http.ts';

export const GENERIC_UNDOCUMENTED: readonly Undocumented[] = Object.freeze([
  {
    kind: 'param',
    method: 'GET',
    pattern: 'users',
    param: 'ids',
    // The docs say list endpoints "often accept page and limit"; a parameter a REST API does not know is
    // normally ignored, so the list comes back unfiltered.
    strict: 'ignore',
    why: 'ids= is our multi-get',
  },
  {
    kind: 'route',
    method: 'GET',
    pattern: 'users/:id',
    // Answered as any unknown path: 404 NOT_FOUND in the documented error shape.
    why: 'only users/me is documented, not a user by id',
  },
]);
