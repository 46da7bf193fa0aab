import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { selects } from '../../src/graphql/selection.ts';
import { callsTo, startStack, type TestStack } from '../helpers/gateway.ts';
import { gqlData } from '../helpers/graphql.ts';

/** The look-ahead as a resolver of the document's first root field sees it. */
function infoOf(document: string) {
  const doc = parse(document);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const root = operation?.selectionSet.selections[0];
  if (!root || root.kind !== Kind.FIELD) throw new Error('expected a root field');
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [root], fragments };
}

describe('selects', () => {
  it.each([
    ['{ enquiries { nodes { assignee { id } } } }', ['nodes', 'assignee'], true],
    ['{ enquiries { nodes { id } } }', ['nodes', 'assignee'], false],
    ['{ enquiries { edges { node { assignee { name } } } } }', ['edges', 'node', 'assignee'], true],
    ['{ enquiries { ... on EnquiryConnection { nodes { ... F } } } } fragment F on Enquiry { assignee { id } }', ['nodes', 'assignee'], true],
    ['{ enquiries { nodes { ... F } } } fragment F on Enquiry { id }', ['nodes', 'assignee'], false],
    ['{ enquiries { assignee: totalCount } }', ['assignee'], false],
  ])('%s selects %j: %s', (document, path, expected) => {
    expect(selects(infoOf(document), path)).toBe(expected);
  });
});

describe('assignees loaded with their page', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack.close();
  });

  it.each([
    ['{ enquiries(first: 20) { nodes { id assignee { name } } } }', 1],
    ['{ enquiries(first: 20) { edges { node { assignee { email } } } } }', 1],
    ['{ enquiries(first: 20) { nodes { id firstName } } }', 0],
  ])('%s makes %i users call', async (query, users) => {
    const before = callsTo(stack.carehq.log, 'users');
    const data = await gqlData<{ enquiries: { nodes?: Array<{ assignee?: { name: string } | null }> } }>(stack.url, query);
    expect(callsTo(stack.carehq.log, 'users') - before).toBe(users);
    if (users > 0 && data.enquiries.nodes) expect(data.enquiries.nodes.some((n) => n.assignee?.name)).toBe(true);
  });
});
