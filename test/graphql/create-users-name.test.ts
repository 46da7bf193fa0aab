/**
 * `createUsers` with the Generic API docs' own bulk body: `{ "name": "Alice Smith", "email": ... }`. The name goes
 * to the vendor whole, as documented; the parts stay our extension; both at once is refused per item.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type TestStack } from '../helpers/gateway.ts';
import { gqlData } from '../helpers/graphql.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack.close();
});

const CREATE = /* GraphQL */ `
  mutation($input: [CreateUserInput!]!) {
    createUsers(input: $input) {
      createdCount updatedCount failedCount
      results { index outcome user { vendorId firstName lastName name email } error { code message field } }
    }
  }
`;

interface Result {
  index: number;
  outcome: 'CREATED' | 'UPDATED' | null;
  user: { vendorId: string; firstName: string; lastName: string; name: string; email: string } | null;
  error: { code: string; message: string; field: string | null } | null;
}
type Created = { createUsers: { createdCount: number; updatedCount: number; failedCount: number; results: Result[] } };

/** The JSON bodies of `POST users/bulk` sent since `mark`. */
function bulkBodiesSince(mark: number): unknown[] {
  return stack.generic.log
    .slice(mark)
    .filter((entry) => entry.method === 'POST' && entry.path === 'users/bulk')
    .map((entry) => JSON.parse(entry.body) as unknown);
}

describe('createUsers with name', () => {
  it("sends the docs' own body, { name, email }, and the vendor splits the name", async () => {
    const mark = stack.generic.log.length;
    const data = await gqlData<Created>(stack.url, CREATE, { input: [{ name: 'Alice Smith', email: 'alice@example.com' }] });
    expect(data.createUsers).toMatchObject({ createdCount: 1, failedCount: 0 });
    expect(data.createUsers.results[0]).toMatchObject({
      outcome: 'CREATED',
      user: { firstName: 'Alice', lastName: 'Smith', name: 'Alice Smith', email: 'alice@example.com' },
      error: null,
    });
    expect(bulkBodiesSince(mark)).toEqual([[{ name: 'Alice Smith', email: 'alice@example.com' }]]);
  });

  it('refuses name together with the parts for that item alone; the others are sent', async () => {
    const mark = stack.generic.log.length;
    const data = await gqlData<Created>(stack.url, CREATE, {
      input: [
        { name: 'Bob Johnson', firstName: 'Robert', email: 'bob@example.com' },
        { name: 'Mary Ann Smith', email: 'mary.ann@example.com' },
      ],
    });
    expect(data.createUsers.results[0]).toMatchObject({ outcome: null, user: null, error: { code: 'INVALID_INPUT', field: 'name' } });
    expect(data.createUsers.results[1]).toMatchObject({ outcome: 'CREATED', user: { firstName: 'Mary Ann', lastName: 'Smith' } });
    expect(bulkBodiesSince(mark)).toEqual([[{ name: 'Mary Ann Smith', email: 'mary.ann@example.com' }]]);
  });

  it('an existing email with no name at all updates the user and keeps the name', async () => {
    const [existing] = stack.generic.store.users;
    if (!existing) throw new Error('the Generic simulator holds no users');
    const data = await gqlData<Created>(stack.url, CREATE, { input: [{ email: existing.email, role: 'viewer' }] });
    expect(data.createUsers.results[0]).toMatchObject({
      outcome: 'UPDATED',
      user: { vendorId: existing.id, firstName: existing.firstName, lastName: existing.lastName },
    });
  });

  it("a new email with no name gets the vendor's own refusal", async () => {
    const data = await gqlData<Created>(stack.url, CREATE, { input: [{ email: 'nameless@example.com' }] });
    expect(data.createUsers.results[0]).toMatchObject({ outcome: null, error: { code: 'INVALID_INPUT', field: 'name', message: 'name is required' } });
  });
});
