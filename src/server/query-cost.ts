/**
 * What an operation will cost once it runs, estimated from the document and its variables before any
 * resolver does. Armor's cost rule counts fields and depth; it cannot see that `first: 100` makes a
 * connection's children run a hundred times, nor which fields send the gateway to a vendor. This one can:
 *
 * - every field costs 1, times the number of times it runs (the product of the page sizes and list sizes
 *   above it);
 * - a connection (a field returning a `...Connection` type) runs its list fields (`edges`, `nodes`) once per
 *   item of its page: `first` or `last`, else DEFAULT_PAGE_SIZE; and it costs the vendor calls that page
 *   needs: one per native page the window may touch (ceil(size / native page) + 1), per vendor it merges
 *   (its `vendors` argument, or every value of that argument's enum when absent), plus the counting probes
 *   `totalCount` may make;
 * - a connection under a list of parents (a reverse edge such as `User.assignedEnquiries`, `User.clients`) is
 *   priced as one list per parent, its worst case: batching them into joint calls only makes them cheaper;
 * - a cross-reference (a Node-typed field of a Node, e.g. `assignee`, `owner`, `uploadedBy`, `Client.users`)
 *   costs a share of a batched lookup per parent; a top-level lookup (`enquiry(id:)`, `node`, `nodes`,
 *   `_entities`) costs at least one call, `nodes` and `_entities` one share per id or representation;
 * - a mutation field costs the write and the read that confirms it;
 * - a list of objects with no size argument (`Client.users`, `vendorStatus`) is counted as LIST_ESTIMATE items;
 * - introspection (`__schema`, `__type`, `__typename`) costs nothing: it never reaches a vendor, and the
 *   token and depth limits bound it.
 *
 * Every term is linear in the number of times a selection runs, so a selection set's cost per run is worked
 * out once and reused: a fragment spread a thousand times is priced once, and a document built to explode
 * (fragments spreading fragments twice over) is priced in linear time, at its exponential cost.
 */
import {
  getNamedType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../graphql/connection.ts';
import { coercedArgs, fieldOf, fragmentTarget, isComposite, type Variables } from './operation-walk.ts';

/** The price of one vendor call, in field units. */
export const VENDOR_CALL_COST = 50;
/** Items per native vendor page: every vendor here serves 100 a page. */
const NATIVE_PAGE_SIZE = 100;
/** Calls `totalCount` may add per vendor where the vendor gives no totals (probing pages). */
const COUNT_CALLS = 1;
/** Ids per batched lookup call: the smallest vendor batch in use (Caseware's 50). */
const LOOKUP_BATCH = 50;
/** Items assumed in a list of objects whose size no argument says. */
const LIST_ESTIMATE = 10;
/** A mutation: the write, and the read-back that confirms it. */
const MUTATION_CALLS = 2;

/** Coerced variables, as graphql-js's `getVariableValues` gives them. */

export function queryCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Variables,
): number {
  const root = schema.getRootType(operation.operation);
  if (!root) return 0;
  const pricer = new Pricer(schema, fragments, variables);
  return pricer.selectionCost(operation.selectionSet, root, { root: true, mutation: operation.operation === 'mutation' });
}

interface Place {
  /** Fields of the operation's root type. */
  readonly root: boolean;
  readonly mutation: boolean;
}

const NESTED: Place = { root: false, mutation: false };

class Pricer {
  /**
   * Cost of one run of a selection set, by what it was priced as (a type, or a connection with its page):
   * the same node priced the same way always costs the same.
   */
  private readonly memo = new WeakMap<SelectionSetNode, Map<string, number>>();
  /** Guards the walk itself; validation has already refused fragment cycles. */
  private readonly open = new Set<SelectionSetNode>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: ReadonlyMap<string, FragmentDefinitionNode>,
    private readonly variables: Variables,
  ) {}

  selectionCost(set: SelectionSetNode, type: GraphQLCompositeType, place: Place = NESTED): number {
    return this.once(set, type.name, () => {
      let cost = 0;
      for (const selection of set.selections) {
        if (selection.kind === Kind.FIELD) {
          if (selection.name.value.startsWith('__')) continue;
          const field = fieldOf(type, selection.name.value);
          if (!field) continue;
          cost += this.fieldCost(field, type, selection.selectionSet, coercedArgs(field, selection, this.variables), place);
        } else {
          const inner = fragmentTarget(this.schema, this.fragments, selection, type);
          if (inner) cost += this.selectionCost(inner.set, inner.type, place);
        }
      }
      return cost;
    });
  }

  private fieldCost(
    field: GraphQLField<unknown, unknown>,
    parent: GraphQLCompositeType,
    set: SelectionSetNode | undefined,
    args: Record<string, unknown>,
    place: Place,
  ): number {
    const named = getNamedType(field.type);
    let cost = 1;
    if (place.mutation) cost += MUTATION_CALLS * VENDOR_CALL_COST;
    if (isConnection(named)) {
      const size = pageSize(args);
      const vendors = vendorCount(field, args);
      const pages = size === 0 ? 0 : Math.ceil(size / NATIVE_PAGE_SIZE) + 1;
      cost += VENDOR_CALL_COST * vendors * Math.max(1, pages);
      if (set) cost += this.connectionChildren(set, named, size, vendors);
      return cost;
    }
    const items = isListOf(field.type) ? (listArgumentLength(args) ?? LIST_ESTIMATE) : 1;
    if (isNodeLike(named) && (place.root || implementsNode(parent))) {
      const share = (VENDOR_CALL_COST * items) / LOOKUP_BATCH;
      cost += place.root && !place.mutation ? Math.max(VENDOR_CALL_COST, share) : share;
    }
    if (set && isComposite(named)) cost += items * this.selectionCost(set, named);
    return cost;
  }

  /** A connection's own fields: lists run once per item of the page, `totalCount` may probe. */
  private connectionChildren(set: SelectionSetNode, type: GraphQLCompositeType, size: number, vendors: number): number {
    return this.once(set, `${type.name}:${size}:${vendors}`, () => {
      let cost = 0;
      for (const selection of set.selections) {
        if (selection.kind !== Kind.FIELD) {
          const inner = fragmentTarget(this.schema, this.fragments, selection, type);
          if (inner) cost += this.connectionChildren(inner.set, type, size, vendors);
          continue;
        }
        if (selection.name.value.startsWith('__')) continue;
        const field = fieldOf(type, selection.name.value);
        if (!field) continue;
        const named = getNamedType(field.type);
        cost += 1;
        if (field.name === 'totalCount') cost += VENDOR_CALL_COST * COUNT_CALLS * vendors;
        if (selection.selectionSet && isComposite(named)) {
          cost += (isListOf(field.type) ? size : 1) * this.selectionCost(selection.selectionSet, named);
        }
      }
      return cost;
    });
  }

  private once(set: SelectionSetNode, key: string, price: () => number): number {
    const known = this.memo.get(set)?.get(key);
    if (known !== undefined) return known;
    if (this.open.has(set)) return 0;
    this.open.add(set);
    const cost = price();
    this.open.delete(set);
    const byKey = this.memo.get(set) ?? new Map<string, number>();
    byKey.set(key, cost);
    this.memo.set(set, byKey);
    return cost;
  }


}



function isConnection(type: GraphQLNamedType): type is GraphQLCompositeType {
  return isObjectType(type) && type.name.endsWith('Connection');
}

function isListOf(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** A type a lookup by id returns: the Node interface, a type implementing it, or federation's `_Entity`. */
function isNodeLike(type: GraphQLNamedType): boolean {
  if (type.name === 'Node' || type.name === '_Entity') return true;
  return implementsNode(type);
}

function implementsNode(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.getInterfaces().some((i) => i.name === 'Node');
}

/** The page a connection asks for; negative or missing sizes (refused when run) count as the default. */
function pageSize(args: Record<string, unknown>): number {
  const asked = typeof args.first === 'number' ? args.first : typeof args.last === 'number' ? args.last : undefined;
  return asked === undefined || asked < 0 ? DEFAULT_PAGE_SIZE : asked;
}

/** How many vendors a connection reads at once: merged lists take `vendors`, others read one. */
function vendorCount(field: GraphQLField<unknown, unknown>, args: Record<string, unknown>): number {
  if (Array.isArray(args.vendors)) return Math.max(1, args.vendors.length);
  const vendorsArg = field.args.find((arg) => arg.name === 'vendors');
  if (!vendorsArg) return 1;
  const values = getNamedType(vendorsArg.type);
  return 'getValues' in values ? values.getValues().length : 1;
}

/** `nodes(ids:)`, `_entities(representations:)`: as many items as the list argument holds. */
function listArgumentLength(args: Record<string, unknown>): number | undefined {
  for (const value of Object.values(args)) {
    if (Array.isArray(value)) return value.length;
  }
  return undefined;
}
