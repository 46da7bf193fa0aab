/**
 * Strings a client sends on to vendors (search text, names, filters, any free-text argument or input field)
 * are capped before anything runs: a 7 MB search string once came back from a vendor as a 431, was retried and
 * counted against that vendor's breaker for everyone. Checked over the operation's coerced argument values,
 * so a string is caught whether it came inline or as a variable, at any depth of an input object or list.
 *
 * Not checked here:
 * - `ID`s: vendor ids are checked against each vendor's id shape before any call;
 * - `after`/`before`: cursors are signed, decoded and checked by the gateway, never sent on as given;
 * - `contentBase64`: file content, bounded by the request body cap and the upload size limit;
 * - enums, numbers, booleans, dates: already bounded by their types.
 */
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { coercedArgs, fieldOf, fragmentTarget, isComposite, type Variables } from './operation-walk.ts';

/** The longest string a client may send on to a vendor, in characters (Unicode code points). */
export const MAX_STRING_LENGTH = 256;

/** Argument and input field names never checked, with the reason in this file's header. */
export const STRING_CAP_EXEMPT: ReadonlySet<string> = new Set(['after', 'before', 'contentBase64']);

export interface LongString {
  /** Where it is, as the client wrote it: `filter.search`, `input[3].firstName`. */
  readonly argument: string;
  readonly length: number;
}

/** The first string over `max` characters among the arguments of every field the operation selects. */
export function findLongString(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
  max: number = MAX_STRING_LENGTH,
): LongString | undefined {
  const root = schema.getRootType(operation.operation);
  if (!root) return undefined;
  const seen = new Set<SelectionSetNode>();

  const inSelections = (set: SelectionSetNode, type: GraphQLCompositeType): LongString | undefined => {
    // Arguments are the same wherever a selection set appears, so each is read once.
    if (seen.has(set)) return undefined;
    seen.add(set);
    for (const selection of set.selections) {
      let found: LongString | undefined;
      if (selection.kind === Kind.FIELD) {
        const field = fieldOf(type, selection.name.value);
        if (!field) continue;
        const args = coercedArgs(field, selection, variables);
        for (const arg of field.args) {
          if (!STRING_CAP_EXEMPT.has(arg.name)) found ??= inValue(args[arg.name], arg.type, arg.name, max);
        }
        const named = getNamedType(field.type);
        if (!found && selection.selectionSet && isComposite(named)) found = inSelections(selection.selectionSet, named);
      } else {
        const inner = fragmentTarget(schema, fragments, selection, type);
        if (inner) found = inSelections(inner.set, inner.type);
      }
      if (found) return found;
    }
    return undefined;
  };

  return inSelections(operation.selectionSet, root);
}

function inValue(value: unknown, type: GraphQLInputType, path: string, max: number): LongString | undefined {
  if (value === null || value === undefined) return undefined;
  const bare = isNonNullType(type) ? type.ofType : type;
  if (isListType(bare)) {
    if (!Array.isArray(value)) return undefined;
    for (const [index, item] of value.entries()) {
      const found = inValue(item, bare.ofType, `${path}[${index}]`, max);
      if (found) return found;
    }
    return undefined;
  }
  if (isInputObjectType(bare)) {
    if (typeof value !== 'object') return undefined;
    const fields = bare.getFields();
    for (const [name, item] of Object.entries(value)) {
      const field = fields[name];
      if (!field || STRING_CAP_EXEMPT.has(name)) continue;
      const found = inValue(item, field.type, `${path}.${name}`, max);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value !== 'string' || bare.name === 'ID' || isEnumType(bare)) return undefined;
  // UTF-16 length bounds the code point count from above: only long strings are counted exactly.
  if (value.length <= max) return undefined;
  const length = [...value].length;
  return length > max ? { argument: path, length } : undefined;
}
