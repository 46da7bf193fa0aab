/**
 * What a caller may do, over real HTTP: each scope allows its fields and refuses the others with FORBIDDEN as a
 * partial result, before the refused field's vendor is called; cross-references, node, nodes and _entities
 * check the type of each object; _entities takes at most MAX_ENTITY_REPRESENTATIONS.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCOPES, type Scope } from '../../src/domain/access.ts';
import { apiKey, issueKey, RecordingClient, type IssuedKey } from '../helpers/auth.ts';
import { callsTo, startStack, vendorCalls, type TestStack } from '../helpers/gateway.ts';
import type { GraphQLErrorShape } from '../helpers/graphql.ts';
import { capturingLogger, expectNoSecrets, type CapturedLog } from '../helpers/secrets.ts';

type Sim = 'carehq' | 'clinicea' | 'caseware' | 'carecloud' | 'generic';

const keys = new Map<Scope, IssuedKey>(SCOPES.map((scope) => [scope, issueKey(scope === '*' ? 'admin' : scope.replace(':', '-'), [scope])]));
const keyFor = (scope: Scope): Record<string, string> => apiKey(keys.get(scope)?.key ?? '');

let stack: TestStack;
let log: CapturedLog;
const client = new RecordingClient();
/** Global ids of one real object of each type, read with the admin key. */
const ids: Record<'Enquiry' | 'Lead' | 'Client' | 'User' | 'File', string> = { Enquiry: '', Lead: '', Client: '', User: '', File: '' };

beforeAll(async () => {
  log = capturingLogger();
  stack = await startStack({
    gateway: {
      auth: { mode: 'protected', apiKeys: [...keys.values()].map((k) => k.record), jwt: undefined },
      publicUrl: 'http://gateway.test',
      logger: log.logger,
      limits: { maxEntityRepresentations: 3 },
    },
  });
  const first = '(first: 1) { nodes { id } }';
  const reply = await client.gql<Record<string, { nodes: Array<{ id: string }> }>>(
    stack.url,
    `{ enquiries${first} leads${first} clients${first} users(first: 1, vendors: [GENERIC]) { nodes { id } } files${first} }`,
    keyFor('*'),
  );
  expect(reply.body.errors).toBeUndefined();
  const idOf = (field: string) => reply.body.data?.[field]?.nodes[0]?.id ?? '';
  Object.assign(ids, { Enquiry: idOf('enquiries'), Lead: idOf('leads'), Client: idOf('clients'), User: idOf('users'), File: idOf('files') });
  for (const id of Object.values(ids)) expect(id).not.toBe('');
});

afterAll(() => stack.close());

const unique = () => randomUUID().slice(0, 8);
const CREATE_ENQUIRY = () => `createEnquiry(input: { firstName: "Ada", lastName: "Scope${unique()}" }) { __typename }`;
const CREATE_USERS = () => `createUsers(input: [{ email: "scope.${unique()}@example.org", firstName: "Sam", lastName: "Scope" }]) { createdCount }`;
const CREATE_LEAD = () => `createLead(input: { firstName: "Ada", lastName: "Scope${unique()}" }) { fieldErrors { field } }`;
const UPLOAD = () =>
  `uploadFile(input: { name: "scope-${unique()}.txt", contentType: "text/plain", contentBase64: "${Buffer.from('hello').toString('base64')}" }) { __typename }`;

interface ScopeCase {
  readonly scope: Scope;
  readonly operation: 'query' | 'mutation';
  /** A field the scope allows, and the vendor it calls (none for vendorStatus and __typename). */
  readonly allowed: string;
  readonly allowedVendor?: Sim;
  /** A field it refuses, the scope that field lacks, and the vendor that must not be called. */
  readonly refused: string;
  readonly missing: Scope;
  readonly refusedVendor: Sim;
}

const cases: ScopeCase[] = [
  { scope: 'enquiries:read', operation: 'query', allowed: 'enquiries(first: 1) { totalCount }', allowedVendor: 'carehq', refused: 'leads(first: 1) { nodes { id } }', missing: 'leads:read', refusedVendor: 'clinicea' },
  { scope: 'enquiries:write', operation: 'mutation', allowed: CREATE_ENQUIRY(), allowedVendor: 'carehq', refused: CREATE_USERS(), missing: 'users:write', refusedVendor: 'generic' },
  { scope: 'leads:read', operation: 'query', allowed: 'leads(first: 1) { nodes { id } }', allowedVendor: 'clinicea', refused: 'clients(first: 1) { nodes { id } }', missing: 'clients:read', refusedVendor: 'caseware' },
  { scope: 'leads:write', operation: 'mutation', allowed: CREATE_LEAD(), allowedVendor: 'clinicea', refused: CREATE_ENQUIRY(), missing: 'enquiries:write', refusedVendor: 'carehq' },
  { scope: 'clients:read', operation: 'query', allowed: 'clients(first: 1) { nodes { name } }', allowedVendor: 'caseware', refused: 'files(first: 1) { nodes { id } }', missing: 'files:read', refusedVendor: 'carecloud' },
  { scope: 'users:read', operation: 'query', allowed: 'users(first: 1, vendors: [GENERIC]) { nodes { id } }', allowedVendor: 'generic', refused: 'enquiries(first: 1) { totalCount }', missing: 'enquiries:read', refusedVendor: 'carehq' },
  { scope: 'users:write', operation: 'mutation', allowed: CREATE_USERS(), allowedVendor: 'generic', refused: UPLOAD(), missing: 'files:write', refusedVendor: 'carecloud' },
  { scope: 'files:read', operation: 'query', allowed: 'files(first: 1) { nodes { name } }', allowedVendor: 'carecloud', refused: 'viewer { id }', missing: 'users:read', refusedVendor: 'generic' },
  { scope: 'files:write', operation: 'mutation', allowed: UPLOAD(), allowedVendor: 'carecloud', refused: CREATE_ENQUIRY(), missing: 'enquiries:write', refusedVendor: 'carehq' },
  { scope: 'status:read', operation: 'query', allowed: 'vendorStatus { vendor }', refused: 'users(first: 1, vendors: [GENERIC]) { nodes { id } }', missing: 'users:read', refusedVendor: 'generic' },
];

describe('each scope', () => {
  it('the table covers every scope but *', () => {
    expect(cases.map((c) => c.scope).sort()).toEqual(SCOPES.filter((scope) => scope !== '*').sort());
  });

  it.each(cases)('$scope allows one field and refuses another with FORBIDDEN ($missing), as a partial result', async (c) => {
    const refusedBefore = stack[c.refusedVendor].log.length;
    const allowedBefore = c.allowedVendor ? stack[c.allowedVendor].log.length : 0;
    const reply = await client.gql<{ allowed: unknown; refused: unknown }>(
      stack.url,
      `${c.operation} { allowed: ${c.allowed} refused: ${c.refused} }`,
      keyFor(c.scope),
    );
    expect(reply.status).toBe(200);
    expect(reply.body.data?.allowed).not.toBeNull();
    expect(reply.body.data?.allowed).toBeDefined();
    expect(reply.body.data?.refused).toBeNull();
    expect(reply.body.errors).toEqual([
      {
        message: expect.stringContaining(`missing scope ${c.missing}`),
        locations: expect.any(Array),
        path: ['refused'],
        extensions: { code: 'FORBIDDEN', missingScopes: [c.missing], requiredScopes: [[c.missing]], requestId: expect.any(String) as unknown },
      },
    ]);
    expect(stack[c.refusedVendor].log.length).toBe(refusedBefore);
    if (c.allowedVendor) expect(stack[c.allowedVendor].log.length).toBeGreaterThan(allowedBefore);
  });

  it('* allows every field', async () => {
    const reply = await client.gql(
      stack.url,
      `{ enquiries(first: 1) { totalCount } leads(first: 1) { nodes { id } } clients(first: 1) { nodes { id users { id } } }
         users(first: 1) { nodes { id } } files(first: 1) { nodes { id uploadedBy { id } } } vendorStatus { vendor } viewer { id } }`,
      keyFor('*'),
    );
    expect(reply.body.errors).toBeUndefined();
    expect(Object.values(reply.body.data ?? {}).every((value) => value !== null)).toBe(true);
  });
});

function forbiddenAt(errors: GraphQLErrorShape[] | undefined): Array<[string, unknown]> {
  return (errors ?? []).map((e) => [(e.path ?? []).join('.'), e.extensions?.code === 'FORBIDDEN' ? e.extensions.missingScopes : e.extensions?.code]);
}

describe('cross-references', () => {
  it("a user's assigned enquiries and clients need their own read scopes: without them each is null and no vendor list is read", async () => {
    const enquiriesBefore = callsTo(stack.carehq.log, 'care-enquiries');
    const clientsBefore = callsTo(stack.caseware.log, 'entities');
    const reply = await client.gql<{ users: { nodes: Array<{ assignedEnquiries: unknown; clients: unknown }> } }>(
      stack.url,
      '{ users(first: 4, vendors: [CAREHQ, CASEWARE]) { nodes { assignedEnquiries(first: 1) { totalCount } clients(first: 1) { totalCount } } } }',
      keyFor('users:read'),
    );
    const nodes = reply.body.data?.users.nodes ?? [];
    expect(nodes).toHaveLength(4);
    expect(nodes.every((n) => n.assignedEnquiries === null && n.clients === null)).toBe(true);
    const missing = new Set(forbiddenAt(reply.body.errors).map(([, scopes]) => JSON.stringify(scopes)));
    expect(missing).toEqual(new Set(['["enquiries:read"]', '["clients:read"]']));
    expect(callsTo(stack.carehq.log, 'care-enquiries')).toBe(enquiriesBefore);
    expect(callsTo(stack.caseware.log, 'entities')).toBe(clientsBefore);
  });

  it("a client's staff need users:read: without it, users is null per client and Caseware's users are never asked", async () => {
    const before = callsTo(stack.caseware.log, 'users');
    const reply = await client.gql<{ clients: { nodes: Array<{ name: string; users: unknown }> } }>(
      stack.url,
      '{ clients(first: 2) { nodes { name users { id } } } }',
      keyFor('clients:read'),
    );
    const nodes = reply.body.data?.clients.nodes ?? [];
    expect(nodes).toHaveLength(2);
    for (const node of nodes) expect(node).toEqual({ name: expect.any(String), users: null });
    expect(forbiddenAt(reply.body.errors)).toEqual([
      ['clients.nodes.0.users', ['users:read']],
      ['clients.nodes.1.users', ['users:read']],
    ]);
    expect(callsTo(stack.caseware.log, 'users')).toBe(before);
  });

  it("an enquiry's assignee needs users:read; the enquiry itself stands", async () => {
    const before = callsTo(stack.carehq.log, 'users');
    const reply = await client.gql<{ enquiries: { nodes: Array<{ firstName: string | null; assignee: unknown }> } }>(
      stack.url,
      '{ enquiries(first: 20) { nodes { id assignee { name } } } }',
      keyFor('enquiries:read'),
    );
    const nodes = reply.body.data?.enquiries.nodes ?? [];
    expect(nodes).toHaveLength(20);
    expect(nodes.every((n) => n.assignee === null)).toBe(true);
    expect(reply.body.errors?.length).toBeGreaterThan(0);
    expect(reply.body.errors?.every((e) => e.extensions?.code === 'FORBIDDEN' && /^enquiries\.nodes\.\d+\.assignee$/.test((e.path ?? []).join('.')))).toBe(true);
    expect(callsTo(stack.carehq.log, 'users')).toBe(before);
  });

  it('a write-only key creates the enquiry and gets null for it, with FORBIDDEN on the enquiry alone', async () => {
    const before = stack.carehq.store.enquiries.size;
    const reply = await client.gql<{ createEnquiry: { enquiry: unknown } }>(
      stack.url,
      'mutation { createEnquiry(input: { firstName: "Wren", lastName: "Writer" }) { enquiry { id } } }',
      keyFor('enquiries:write'),
    );
    expect(reply.body.data).toEqual({ createEnquiry: { enquiry: null } });
    expect(forbiddenAt(reply.body.errors)).toEqual([['createEnquiry.enquiry', ['enquiries:read']]]);
    expect(stack.carehq.store.enquiries.size).toBe(before + 1);
  });
});

const TYPES = [
  ['Enquiry', 'enquiries:read', 'carehq'],
  ['Lead', 'leads:read', 'clinicea'],
  ['Client', 'clients:read', 'caseware'],
  ['User', 'users:read', 'generic'],
  ['File', 'files:read', 'carecloud'],
] as const;

describe('node, nodes and _entities check the type of each object', () => {
  it.each(TYPES)('node(id) of a %s needs %s; refused, its vendor is not called', async (type, scope, sim) => {
    const query = 'query($id: ID!) { node(id: $id) { __typename id } }';
    const allowed = await client.gql<{ node: { __typename: string } | null }>(stack.url, query, keyFor(scope), { id: ids[type] });
    expect(allowed.body.errors).toBeUndefined();
    expect(allowed.body.data?.node?.__typename).toBe(type);

    const other = TYPES.find(([t]) => t !== type)?.[1] ?? 'status:read';
    const before = stack[sim].log.length;
    const refused = await client.gql(stack.url, 'query($id: ID!) { __typename node(id: $id) { id } }', keyFor(other), { id: ids[type] });
    expect(refused.body.data).toEqual({ __typename: 'Query', node: null });
    expect(forbiddenAt(refused.body.errors)).toEqual([['node', [scope]]]);
    expect(stack[sim].log.length).toBe(before);
  });

  it('nodes: each refused id fails alone at its own index, before its vendor is called', async () => {
    const before = { clinicea: stack.clinicea.log.length, caseware: stack.caseware.log.length, generic: stack.generic.log.length };
    const reply = await client.gql<{ nodes: Array<{ __typename: string } | null> }>(
      stack.url,
      'query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }',
      keyFor('enquiries:read'),
      { ids: [ids.Enquiry, ids.Lead, ids.Client, ids.User] },
    );
    expect(reply.body.data?.nodes).toEqual([{ __typename: 'Enquiry', id: ids.Enquiry }, null, null, null]);
    expect(forbiddenAt(reply.body.errors)).toEqual([
      ['nodes.1', ['leads:read']],
      ['nodes.2', ['clients:read']],
      ['nodes.3', ['users:read']],
    ]);
    expect({ clinicea: stack.clinicea.log.length, caseware: stack.caseware.log.length, generic: stack.generic.log.length }).toEqual(before);
  });

  it('_entities: each refused representation fails alone at its index, before its vendor is called', async () => {
    const before = { clinicea: stack.clinicea.log.length, generic: stack.generic.log.length };
    const reply = await client.gql<{ _entities: Array<{ __typename: string; id: string } | null> }>(
      stack.url,
      'query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Enquiry { id } } }',
      keyFor('enquiries:read'),
      { r: [{ __typename: 'Lead', id: ids.Lead }, { __typename: 'Enquiry', id: ids.Enquiry }, { __typename: 'User', id: ids.User }] },
    );
    expect(reply.body.data?._entities).toEqual([null, { __typename: 'Enquiry', id: ids.Enquiry }, null]);
    expect(forbiddenAt(reply.body.errors)).toEqual([
      ['_entities.0', ['leads:read']],
      ['_entities.2', ['users:read']],
    ]);
    expect({ clinicea: stack.clinicea.log.length, generic: stack.generic.log.length }).toEqual(before);
  });

  it('_entities takes at most MAX_ENTITY_REPRESENTATIONS (3 here): one more is BAD_USER_INPUT and calls no vendor', async () => {
    const query = 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }';
    const representation = { __typename: 'Enquiry', id: ids.Enquiry };
    const three = await client.gql<{ _entities: unknown[] }>(stack.url, query, keyFor('*'), { r: [representation, representation, representation] });
    expect(three.body.errors).toBeUndefined();
    expect(three.body.data?._entities).toHaveLength(3);

    const before = vendorCalls(stack);
    const four = await client.gql(stack.url, query, keyFor('*'), { r: [representation, representation, representation, representation] });
    expect(four.body.errors?.[0]).toMatchObject({ message: 'at most 3 representations at once, got 4', extensions: { code: 'BAD_USER_INPUT', limit: 3 } });
    expect(vendorCalls(stack)).toBe(before);
  });
});

describe('secrets', () => {
  it('no key appears in any log line or response', () => {
    expectNoSecrets([...log.lines, ...client.bodies], [...keys.values()].map((k) => k.key));
  });
});
