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
    expect(data._service.sdl).toMatch(/type Enquiry implements Node\s+@key\(fields: "id"\)\s+@requiresScopes\(scopes: \[\["enquiries:read"\]\]\)/);
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
    expect(callsTo(stack.carehq.log, 'users') - before).toBe(1);
  });

  it('a representation with a malformed id is BAD_USER_INPUT', async () => {
    const result = await gql(stack.url, 'query($r: [_Any!]!) { _entities(representations: $r) { __typename } }', {
      r: [{ __typename: 'Enquiry', id: '%%%' }],
    });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
