import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, strictSimulators, type TestStack } from '../helpers/gateway.ts';
import { gqlData } from '../helpers/graphql.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.close();
});

interface Ided {
  readonly id: string;
}

const NODES = 'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Enquiry { firstName } ... on Lead { firstName } ... on Client { name } ... on User { name } ... on File { size } } }';

/** Data calls each simulator saw (token requests left out: a process pays them once per token). */
function dataCalls(s: TestStack): Record<string, number> {
  const isData = (e: { path: string }) => !/(^|\/)(auth\/token|oauth\/token|token)$/.test(e.path);
  return {
    carehq: s.carehq.log.filter(isData).length,
    clinicea: s.clinicea.log.filter(isData).length,
    caseware: s.caseware.log.filter(isData).length,
    carecloud: s.carecloud.log.filter(isData).length,
    generic: s.generic.log.filter(isData).length,
  };
}

function clearLogs(s: TestStack): void {
  for (const sim of [s.carehq, s.clinicea, s.caseware, s.carecloud, s.generic]) sim.log.length = 0;
}

describe('nodes over mixed ids', () => {
  it('costs the fewest vendor calls: one per batchable kind, one per lead (Clinicea has no multi-get)', async () => {
    const six = (items: readonly Ided[]) => items.slice(0, 6).map((item) => item.id);
    const lists = await gqlData<{
      enquiries: { nodes: Ided[] };
      leads: { nodes: Ided[] };
      clients: { nodes: Ided[] };
      hq: { nodes: Ided[] };
      generic: { nodes: Ided[] };
      files: { nodes: Ided[] };
    }>(
      stack.url,
      `{ enquiries(first: 6) { nodes { id } } leads(first: 6) { nodes { id } } clients(first: 6) { nodes { id } }
         hq: users(first: 6, vendors: [CAREHQ]) { nodes { id } } generic: users(first: 6, vendors: [GENERIC]) { nodes { id } }
         files(first: 6) { nodes { id } } }`,
    );
    const groups = [lists.enquiries, lists.leads, lists.clients, lists.hq, lists.generic, lists.files].map((c) => six(c.nodes));
    for (const group of groups) expect(group).toHaveLength(6);
    // Interleaved, as a client holding a mixed list would send them.
    const ids = Array.from({ length: 36 }, (_, i) => groups[i % 6]?.[Math.floor(i / 6)] ?? '');
    clearLogs(stack);

    const data = await gqlData<{ nodes: Array<{ __typename: string; id: string } | null> }>(stack.url, NODES, { ids });

    expect(data.nodes.map((n) => n?.id)).toEqual(ids);
    expect(data.nodes.slice(0, 6).map((n) => n?.__typename)).toEqual(['Enquiry', 'Lead', 'Client', 'User', 'User', 'File']);
    // Against strict simulators the documented fallbacks cost more: Caseware refuses the repeated search (1 call,
    // then one GET per client), and Clinicea has no GET by id (6 refused GETs, then the probe, a list page and a
    // GET of its first lead, then one list page that holds all six).
    expect(dataCalls(stack)).toEqual(
      strictSimulators ? { carehq: 2, clinicea: 9, caseware: 7, carecloud: 1, generic: 1 } : { carehq: 2, clinicea: 6, caseware: 1, carecloud: 1, generic: 1 },
    );
    expect(stack.carehq.log.map((e) => e.path).sort()).toEqual(['care-enquiries', 'users']);
  });
});
