/**
 * Reverse edges: a user's assigned enquiries (CareHQ) and the clients a user looks after (Caseware), as Relay
 * connections over the vendor's own filter, the same lists `enquiries(filter: { assigneeId })` and
 * `clients(filter: { staffId })` read. Cursors share those lists' scopes, so a cursor from either works with the
 * other.
 *
 * Per request, a DataLoader gathers the edges a query asks for across its parents:
 * - CareHQ: the first pages of many users go out as one call with `filters-assigned_to` repeated, split by
 *   assignee, when together they fit in one page of 100; otherwise (or for later pages) one filtered list per
 *   user.
 * - Caseware: its search ANDs every term, so there is no "any of these staff"; each user is one filtered list,
 *   and the loader only merges identical asks.
 */
import DataLoader from 'dataloader';
import type { Client } from '../domain/client.ts';
import type { Enquiry, EnquiryOrder } from '../domain/enquiry.ts';
import type { ConnectionModel, PagedSource } from '../domain/paging.ts';
import type { CallContext } from '../upstream/client.ts';
import { offsetConnection, scopeOf, type ConnectionArgs } from './connection.ts';
import type { Vendors } from './vendors.ts';

export interface EdgeKey {
  /** The parent user's id in its vendor. */
  readonly userId: string;
  readonly args: ConnectionArgs;
  readonly order?: EnquiryOrder | undefined;
}

export interface ReverseEdgeLoaders {
  readonly assignedEnquiries: DataLoader<EdgeKey, ConnectionModel<Enquiry>, string>;
  readonly staffClients: DataLoader<EdgeKey, ConnectionModel<Client>, string>;
}

const keyOf = (key: EdgeKey): string =>
  JSON.stringify([key.userId, key.args.first, key.args.after, key.args.last, key.args.before, key.order?.field, key.order?.direction]);

/** A first forward page: the only ask one joint call can answer for every user at once. */
function isFirstPage(args: ConnectionArgs): boolean {
  return !args.after && !args.before && (args.last === null || args.last === undefined);
}

/** A list already read whole, served as one native page (its length is its total). */
function listSource<T>(items: readonly T[]): PagedSource<T> {
  return { pageSize: Math.max(1, items.length), page: async (index) => ({ items: index === 0 ? [...items] : [], total: items.length }) };
}

export function createReverseEdgeLoaders(vendors: Vendors, call: CallContext): ReverseEdgeLoaders {
  const { carehq, caseware, cursors } = vendors;
  const enquiriesScope = (key: EdgeKey) => scopeOf('enquiries', { assigneeId: key.userId, orderBy: key.order });

  const assignedEnquiries = new DataLoader<EdgeKey, ConnectionModel<Enquiry>, string>(
    async (keys) => {
      // One joint call per order among the first-page asks; identical asks were merged by the loader already.
      const joint = new Map<string, Promise<Map<string, Enquiry[]> | undefined>>();
      for (const key of keys) {
        if (!isFirstPage(key.args)) continue;
        const order = JSON.stringify(key.order ?? null);
        if (joint.has(order)) continue;
        const ids = [...new Set(keys.filter((k) => isFirstPage(k.args) && JSON.stringify(k.order ?? null) === order).map((k) => k.userId))];
        // A single user needs no joint call: its own filtered list is the same one call.
        joint.set(order, ids.length > 1 ? carehq.enquiriesByAssignees(ids, key.order, call) : Promise.resolve(undefined));
      }
      return Promise.all(
        keys.map(async (key) => {
          try {
            const grouped = isFirstPage(key.args) ? await joint.get(JSON.stringify(key.order ?? null)) : undefined;
            const own = grouped?.get(key.userId);
            const source = own ? listSource(own) : carehq.enquiries({ assigneeId: key.userId }, call, key.order);
            return await offsetConnection(source, key.args, cursors, enquiriesScope(key));
          } catch (error) {
            return error instanceof Error ? error : new Error(String(error));
          }
        }),
      );
    },
    { cacheKeyFn: keyOf, maxBatchSize: carehq.userBatchSize },
  );

  const staffClients = new DataLoader<EdgeKey, ConnectionModel<Client>, string>(
    (keys) =>
      Promise.all(
        keys.map((key) =>
          offsetConnection(caseware.clients({ staffId: key.userId }, call), key.args, cursors, scopeOf('clients', { staffId: key.userId })).catch(
            (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
          ),
        ),
      ),
    { cacheKeyFn: keyOf },
  );

  return { assignedEnquiries, staffClients };
}
