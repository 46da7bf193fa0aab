/** The queries the bench sends, and the fewest vendor calls each could be answered with. */

/** Figure 1: a page of 20 enquiries with their assignees (CareHQ list, then CareHQ users by id). */
export const ENQUIRIES_WITH_ASSIGNEES = '{ enquiries(first: 20) { totalCount nodes { id firstName lastName assignee { id name } } } }';

/** The same with a search term, so that each request is distinct (figure 1 with the cache off). */
export const ENQUIRIES_SEARCH =
  'query($s: String) { enquiries(first: 20, filter: { search: $s }) { totalCount nodes { id firstName lastName assignee { id name } } } }';

/**
 * Two digits: each matches a phone number, an email's number or both in about one enquiry in five, so every
 * term fills a page of 20 with assignees; 100 terms in turn means no two identical requests are ever in
 * flight together over 10 connections.
 */
export const SEARCH_TERMS = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/** Figure 2: one GraphQL request that is one REST call (a CareHQ list page), for the added latency. */
export const ENQUIRIES_ONE_CALL = '{ enquiries(first: 20) { nodes { id firstName lastName } } }';

export interface CallsQuery {
  readonly id: string;
  readonly name: string;
  readonly query: string;
  /** Vendor data calls (token calls excluded) the answer needs at the least, and why. */
  readonly lowerBound: number;
  readonly why: string;
}

export const CALLS_QUERIES: readonly CallsQuery[] = [
  {
    id: '3a',
    name: 'enquiries(first: 20) with assignees',
    query: ENQUIRIES_WITH_ASSIGNEES,
    lowerBound: 2,
    why: 'one CareHQ page; one CareHQ users call by filters-ids (up to 100 ids)',
  },
  {
    id: '3b',
    name: 'users(first: 50), merged over three vendors',
    query: '{ users(first: 50) { totalCount nodes { id name vendor } } }',
    lowerBound: 3,
    why: 'one page of 50 or more from each of CareHQ (24 users, sorted here, so all of them), Caseware and Generic',
  },
  {
    id: '3c',
    name: 'clients(first: 20) with staff',
    query: '{ clients(first: 20) { nodes { id name users { id name } } } }',
    lowerBound: 2,
    why: 'one Caseware entities page; one Caseware users call for all their staff ids',
  },
  {
    id: '3d',
    name: 'leads(first: 20) with owners',
    query: '{ leads(first: 20) { nodes { id firstName owner { id name } } } }',
    lowerBound: 2,
    why: 'one Clinicea page; one Generic users call by ids',
  },
];

/** Figure 3e: `nodes` over 30 ids, six of each kind, taken from the answers above. */
export const NODES_QUERY =
  'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Enquiry { firstName } ... on Lead { firstName } ... on Client { name } ... on User { name } } }';

/**
 * Six each of enquiries (one CareHQ list call with filters-ids), CareHQ users (one filters-ids call), clients
 * (one Caseware batch), Generic users (one ids call) and leads (Clinicea has no multi-get: six GETs).
 */
export const NODES_LOWER_BOUND = { calls: 10, why: 'enquiries 1, CareHQ users 1, clients 1, Generic users 1, leads 6 (no multi-get)' };
