import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callsTo, startStack, type TestStack } from '../helpers/gateway.ts';
import { gql, gqlData } from '../helpers/graphql.ts';

let stack: TestStack;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await stack.close();
});

describe('Apollo Federation 2 subgraph', () => {
  it('publishes its SDL with entity keys through _service', async () => {
    const data = await gqlData<{ _service: { sdl: string } }>(stack.url, '{ _service { sdl } }');
    expect(data._service.sdl).toContain('type Enquiry implements Node');
    expect(data._service.sdl).toMatch(/type Enquiry implements Node\s+@key\(fields: "id"\)/);
    expect(data._service.sdl).toMatch(/type User implements Node\s+@key\(fields: "id"\)/);
    expect(data._service.sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.5"');
    // A router reads the scopes from here and can enforce them too.
    expect(data._service.sdl).toMatch(
      /type Enquiry implements Node\s+@key\(fields: "id"\)\s+@key\(fields: "vendor vendorId"\)\s+@requiresScopes\(scopes: \[\["enquiries:read"\]\]\)/,
    );
    for (const type of ['Client', 'Enquiry', 'File', 'Lead', 'User']) {
      expect(data._service.sdl).toMatch(new RegExp(`type ${type} implements Node\\s+@key\\(fields: "id"\\)\\s+@key\\(fields: "vendor vendorId"\\)`));
    }
    expect(data._service.sdl).toMatch(/node\(id: ID!\): Node @shareable/);
    expect(data._service.sdl).toMatch(/nodes\(ids: \[ID!\]!\): \[Node\]! @shareable/);
    expect(data._service.sdl).not.toContain('_noop');
    expect(data._service.sdl).toMatch(/createUsers\(input: \[CreateUserInput!\]!\): CreateUsersPayload\s+@requiresScopes\(scopes: \[\["users:write"\]\]\)/);
  });

  it('resolves enquiries and users by key through _entities, batching the users', async () => {
    const list = await gqlData<{ enquiries: { nodes: Array<{ id: string; firstName: string; assignee: { id: string } | null }> } }>(
      stack.url,
      '{ enquiries(first: 20) { nodes { id firstName assignee { id } } } }',
    );
    const users = [...new Set(list.enquiries.nodes.map((n) => n.assignee?.id).filter((id): id is string => !!id))];
    const representations = [
      ...list.enquiries.nodes.slice(0, 3).map((n) => ({ __typename: 'Enquiry', id: n.id })),
      ...users.map((id) => ({ __typename: 'User', id })),
    ];
    const before = callsTo(stack.carehq.log, 'users');
    const data = await gqlData<{ _entities: Array<{ __typename: string; id: string; firstName?: string }> }>(
      stack.url,
      `query($representations: [_Any!]!) { _entities(representations: $representations) {
        __typename ... on Enquiry { id firstName } ... on User { id name } } }`,
      { representations },
    );
    expect(data._entities.map((e) => e.id)).toEqual(representations.map((r) => r.id));
    expect(data._entities[0]).toMatchObject({ __typename: 'Enquiry', firstName: list.enquiries.nodes[0]?.firstName });
    // Strict CareHQ has no filters-ids: the documented list's first page holds every user, still one call.
    expect(callsTo(stack.carehq.log, 'users') - before).toBe(1);
  });

  it('a representation with a malformed id is BAD_USER_INPUT', async () => {
    const result = await gql(stack.url, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
      r: [{ __typename: 'Enquiry', id: '%%%' }],
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('resolves a representation by native id (vendor vendorId) through the same loader as one by global id', async () => {
    const list = await gqlData<{ enquiries: { nodes: Array<{ id: string; vendorId: string; assignee: { id: string; vendorId: string } | null }> } }>(
      stack.url,
      '{ enquiries(first: 10) { nodes { id vendorId assignee { id vendorId } } } }',
    );
    const assigned = list.enquiries.nodes.filter((n) => n.assignee);
    const [first, second] = assigned;
    if (!first?.assignee || !second?.assignee) throw new Error('expected two assigned enquiries in the seed');
    const representations = [
      { __typename: 'Enquiry', vendor: 'CAREHQ', vendorId: first.vendorId },
      { __typename: 'Enquiry', id: first.id },
      { __typename: 'User', vendor: 'CAREHQ', vendorId: first.assignee.vendorId },
      { __typename: 'User', id: second.assignee.id },
    ];
    const enquiriesBefore = callsTo(stack.carehq.log, 'care-enquiries');
    const usersBefore = callsTo(stack.carehq.log, 'users');
    const data = await gqlData<{ _entities: Array<{ __typename: string; id: string; vendorId: string }> }>(
      stack.url,
      `query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Enquiry { id vendorId } ... on User { id vendorId } } }`,
      { r: representations },
    );
    expect(data._entities).toEqual([
      { __typename: 'Enquiry', id: first.id, vendorId: first.vendorId },
      { __typename: 'Enquiry', id: first.id, vendorId: first.vendorId },
      { __typename: 'User', id: first.assignee.id, vendorId: first.assignee.vendorId },
      { __typename: 'User', id: second.assignee.id, vendorId: second.assignee.vendorId },
    ]);
    // Both keys meet in one loader per type: the same enquiry by either key is one GET (CareHQ has no
    // multi-get for enquiries), and two users by different keys are one batched call.
    expect(callsTo(stack.carehq.log, 'care-enquiries') - enquiriesBefore).toBe(1);
    expect(callsTo(stack.carehq.log, 'users') - usersBefore).toBe(1);
  });

  it.each([
    ['a malformed CareHQ id', { __typename: 'Enquiry', vendor: 'CAREHQ', vendorId: '../users' }],
    ['a Caseware GUID with a quote', { __typename: 'Client', vendor: 'CASEWARE', vendorId: "0000'" }],
    ['a vendor that does not serve the type', { __typename: 'Lead', vendor: 'CAREHQ', vendorId: '100001' }],
    ['an unknown vendor', { __typename: 'User', vendor: 'ACME', vendorId: 'usr_1' }],
    ['a vendor without a vendorId', { __typename: 'File', vendor: 'CARECLOUD' }],
  ])('a native-key representation with %s is BAD_USER_INPUT, and no vendor is called', async (_case, representation) => {
    const before = totalCalls(stack);
    const result = await gql(stack.url, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: [representation] });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(totalCalls(stack)).toBe(before);
  });
});

function totalCalls(s: TestStack): number {
  return s.carehq.log.length + s.clinicea.log.length + s.caseware.log.length + s.carecloud.log.length + s.generic.log.length;
}
