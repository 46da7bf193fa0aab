/**
 * What the pre-execution checks (query-cost.ts, string-caps.ts) share when they walk an operation with its
 * variables: the field a selection names, the set and type a fragment applies, and arguments coerced the way
 * execution will coerce them.
 */
import {
  getArgumentValues,
  isInterfaceType,
  isObjectType,
  isUnionType,
  Kind,
  type FragmentDefinitionNode,
  type FragmentSpreadNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type InlineFragmentNode,
  type SelectionSetNode,
} from 'graphql';

/** The operation's variables as sent, before coercion. */
export type Variables = Readonly<Record<string, unknown>>;

export function isComposite(type: GraphQLNamedType): type is GraphQLCompositeType {
  return isObjectType(type) || isInterfaceType(type) || isUnionType(type);
}

/** The field a selection names on `type`; none on a union (only `__typename`, which costs nothing). */
export function fieldOf(type: GraphQLCompositeType, name: string): GraphQLField<unknown, unknown> | undefined {
  return isUnionType(type) ? undefined : type.getFields()[name];
}

/** The selection set of an inline fragment or a named one, and the type it applies to. */
export function fragmentTarget(
  schema: GraphQLSchema,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  selection: InlineFragmentNode | FragmentSpreadNode,
  type: GraphQLCompositeType,
): { set: SelectionSetNode; type: GraphQLCompositeType } | undefined {
  const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
  if (!fragment) return undefined;
  const condition = fragment.typeCondition ? schema.getType(fragment.typeCondition.name.value) : type;
  return condition && isComposite(condition) ? { set: fragment.selectionSet, type: condition } : undefined;
}

/** Coerced arguments, defaults included; ones that do not coerce count as absent (execution refuses them). */
export function coercedArgs(field: GraphQLField<unknown, unknown>, node: Parameters<typeof getArgumentValues>[1], variables: Variables): Record<string, unknown> {
  try {
    return getArgumentValues(field, node, variables as Record<string, unknown>);
  } catch {
    return {};
  }
}
