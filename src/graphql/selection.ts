/**
 * Look-ahead into what a query selects below the field being resolved, so that a list can fetch what its
 * items will need before graphql-js completes them (see Query.enquiries: assignees primed, then served
 * without a promise per item). `@skip` and `@include` are not evaluated: a skipped field still counts, which
 * costs at most a fetch whose answer goes unused.
 */
import { Kind, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';

/** Whether `info`'s field selects `path` below it, through inline fragments and fragment spreads. */
export function selects(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: readonly string[]): boolean {
  let sets = info.fieldNodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
  for (const [depth, name] of path.entries()) {
    const next: SelectionSetNode[] = [];
    let found = false;
    for (const set of sets) collect(set, name, info.fragments, next, () => (found = true), 0);
    if (!found) return false;
    if (depth === path.length - 1) return true;
    sets = next;
  }
  return false;
}

/** Fragments nest; a cycle is refused by validation, but the depth bound keeps a bad document from looping. */
const MAX_FRAGMENT_DEPTH = 20;

function collect(
  set: SelectionSetNode,
  name: string,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  into: SelectionSetNode[],
  seen: () => void,
  depth: number,
): void {
  if (depth > MAX_FRAGMENT_DEPTH) return;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value !== name) continue;
      seen();
      if (selection.selectionSet) into.push(selection.selectionSet);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      collect(selection.selectionSet, name, fragments, into, seen, depth + 1);
    } else {
      const fragment = fragments[selection.name.value];
      if (fragment) collect(fragment.selectionSet, name, fragments, into, seen, depth + 1);
    }
  }
}
