/**
 * Schema-change safety, the local `rover subgraph check`: the published SDL
 * (schema/__generated__/subgraph.graphql) must be what the code builds, and no breaking change may reach it,
 * from it or from main's copy, unless schema/CHANGES.md records it.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { printSubgraphSdl } from '../../src/graphql/schema.ts';
import {
  breakingChanges,
  describeUnrecorded,
  readChangeLog,
  readPublished,
  recordedChanges,
  unrecordedBreakingChanges,
} from '../../scripts/schema-changes.ts';

/** main's published SDL where this checkout is a git clone with a main branch; undefined elsewhere. */
function publishedOnMain(): string | undefined {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const base = git('merge-base', 'HEAD', 'main').trim();
    return git('show', `${base}:schema/__generated__/subgraph.graphql`);
  } catch {
    return undefined;
  }
}

describe('the published subgraph SDL', () => {
  const current = printSubgraphSdl();

  it('is what the code builds now (run `npm run schema:print` after changing schema/)', () => {
    expect(readPublished() === current, 'schema/__generated__/subgraph.graphql is stale: run `npm run schema:print`').toBe(true);
  });

  it('has no breaking change from the committed file that schema/CHANGES.md does not record', async () => {
    const unrecorded = await unrecordedBreakingChanges(readPublished(), current, readChangeLog());
    expect(unrecorded, describeUnrecorded(unrecorded)).toEqual([]);
  });

  const onMain = publishedOnMain();
  it.skipIf(onMain === undefined)('has no breaking change since main that schema/CHANGES.md does not record', async () => {
    const unrecorded = await unrecordedBreakingChanges(onMain ?? '', current, readChangeLog());
    expect(unrecorded, describeUnrecorded(unrecorded)).toEqual([]);
  });
});

describe('the breaking-change check', () => {
  const before = /* GraphQL */ `
    type Query { lead(id: ID!): Lead  leads(first: Int): [Lead!]!  status: Status }
    type Lead { id: ID!  name: String  email: String }
    enum Status { OK DEGRADED }
  `;

  it.each([
    ['a field removed', before.replace('email: String', ''), 'Lead.email', 'FIELD_REMOVED'],
    ['a field type changed', before.replace('name: String', 'name: Int'), 'Lead.name', 'FIELD_TYPE_CHANGED'],
    ['an argument made required', before.replace('leads(first: Int)', 'leads(first: Int!)'), 'Query.leads.first', 'FIELD_ARGUMENT_TYPE_CHANGED'],
    ['a required argument added', before.replace('status: Status', 'status(region: String!): Status'), 'Query.status.region', 'FIELD_ARGUMENT_ADDED'],
    ['an enum value removed', before.replace('OK DEGRADED', 'OK'), 'Status.DEGRADED', 'ENUM_VALUE_REMOVED'],
  ])('finds %s', async (_kind, after, path, type) => {
    expect(await breakingChanges(before, after)).toEqual([expect.objectContaining({ path, type })]);
  });

  it('lets through additions: a field, an optional argument, a type', async () => {
    const after = before.replace('email: String', 'email: String  phone: String').replace('leads(first: Int)', 'leads(first: Int, after: String)') + 'type Note { id: ID! }';
    expect(await breakingChanges(before, after)).toEqual([]);
  });

  it('passes a breaking change once CHANGES.md records it, and only that one', async () => {
    const after = before.replace('email: String', '').replace('name: String', 'name: Int');
    const log = '# Changes\n\n- `Lead.email` FIELD_REMOVED: nobody read it\n';
    expect(await unrecordedBreakingChanges(before, after, log)).toEqual([expect.objectContaining({ path: 'Lead.name', type: 'FIELD_TYPE_CHANGED' })]);
  });

  it('does not count the examples in a fenced block as records', () => {
    const log = ['```', '- `Lead.email` FIELD_REMOVED: an example', '```', '* `Lead.name` FIELD_TYPE_CHANGED: real'].join('\n');
    expect([...recordedChanges(log)]).toEqual(['Lead.name FIELD_TYPE_CHANGED']);
  });

  it('names each unrecorded change ready to paste into CHANGES.md', () => {
    const text = describeUnrecorded([{ path: 'Lead.email', type: 'FIELD_REMOVED', message: "Field 'email' was removed from object type 'Lead'" }]);
    expect(text).toContain("- `Lead.email` FIELD_REMOVED: Field 'email' was removed from object type 'Lead'");
  });
});
