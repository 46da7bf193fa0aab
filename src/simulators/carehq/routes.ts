/** Every route the CareHQ simulator answers below `/v1`: care enquiries (read and write) and users (read). */
import { SimRouter } from '../http.ts';
import { notFound } from './answers.ts';
import { createEnquiry, patchEnquiry } from './enquiry-writes.ts';
import { ENQUIRY_LIST, USER_LIST, getHandler, listHandler, withoutFilter } from './lists.ts';
import type { CareHqStore } from './store.ts';

export function careHqRouter(
  store: CareHqStore,
  clock: () => number,
  nextId: (epochSeconds: number) => string,
  /** Whether lists take `filters-ids` (options.ts). */
  idsFilter = true,
): SimRouter {
  const enquiries = idsFilter ? ENQUIRY_LIST : withoutFilter(ENQUIRY_LIST, 'ids');
  const users = idsFilter ? USER_LIST : withoutFilter(USER_LIST, 'ids');
  return new SimRouter()
    .on('GET', 'care-enquiries', listHandler(store.enquiries, enquiries))
    .on('PUT', 'care-enquiries', (req) => createEnquiry(req, store, clock, nextId))
    .on('GET', 'care-enquiries/:id', getHandler(store.enquiries, enquiries))
    .on('PATCH', 'care-enquiries/:id', (req) => patchEnquiry(req, store, clock))
    .on('DELETE', 'care-enquiries/:id', (req) => {
      const id = req.params.id ?? '';
      if (!store.enquiries.delete(id)) return notFound(`No care enquiry with _id "${id}".`);
      // The SDKs parse JSON on every answer, so a delete still sends a body.
      return { status: 200, body: {} };
    })
    .on('GET', 'users', listHandler(store.users, users))
    .on('GET', 'users/:id', getHandler(store.users, users));
}
