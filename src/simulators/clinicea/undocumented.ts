/**
 * What the Clinicea simulator serves beyond Clinicea's docs, and what `strict` does with each (http.ts,
 * `Undocumented`). The docs show `GET leads` with `startRange`, `endRange`, `intPageNo` and
 * `lastSyncTimestamp`, and name GET, POST, PUT and DELETE operations without listing them; the lead writes stay.
 */
import type { Undocumented } from '../http.ts';

export const CLINICEA_UNDOCUMENTED: readonly Undocumented[] = Object.freeze([
  {
    kind: 'route',
    method: 'GET',
    pattern: 'leads/:id',
    // Answered as Clinicea answers any path it has no method for: ASP.NET Web API's 404 `{Message}`.
    why: 'one lead by id is not in the docs; only the list is',
  },
]);
