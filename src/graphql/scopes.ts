/**
 * Scopes, declared in the SDL with Federation's `@requiresScopes` and enforced here, in the subgraph itself: a
 * router may enforce them too, but a client that reaches this port directly must meet the same rules.
 *
 * A field needs its own scopes plus those of the object type it returns, and they are checked before its
 * resolver runs, so a refused field never calls a vendor. A refusal is a FORBIDDEN error on that field alone:
 * fields that can be refused are nullable, so the rest of the answer stands.
 */
import {
  defaultFieldResolver,
  getDirectiveValues,
  getNamedType,
  isObjectType,
  type ConstDirectiveNode,
  type GraphQLDirective,
  type GraphQLError,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { isScope, type Principal } from '../domain/access.ts';
import type { GraphQLContext } from './context.ts';
import { forbidden } from './errors.ts';

const DIRECTIVE = 'requiresScopes';

/** One `@requiresScopes(scopes:)`: any one of the inner lists, each inner list in full (Federation's semantics). */
export type ScopeRequirement = ReadonlyArray<ReadonlyArray<string>>;

/** Every requirement must be met: a type's and a field's, or a type's declaration and its extensions. */
type Requirements = readonly ScopeRequirement[];

/**
 * Wraps every field that needs scopes so that it checks them against `context.principal` first. Call once on
 * a freshly built schema; it is changed in place.
 */
export function enforceScopes(schema: GraphQLSchema): void {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const returned = getNamedType(field.type);
      const needs = [...fieldRequirements(schema, field), ...(isObjectType(returned) ? typeRequirements(schema, returned) : [])];
      if (needs.length === 0) continue;
      const where = `${type.name}.${field.name}`;
      const resolve: GraphQLFieldResolver<unknown, GraphQLContext> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context: GraphQLContext, info) => {
        if (!allowedBefore(context.principal, where)) {
          const refusal = refuse(context.principal, needs, where);
          if (refusal) throw refusal;
          allowed(context.principal, where);
        }
        return resolve(source, args, context, info);
      };
    }
  }
}

/**
 * The fields each caller was already let through, so that a page of a hundred records checks each field's
 * scopes once rather than once per record. Keyed weakly by the principal, which never changes its scopes.
 */
const passed = new WeakMap<Principal, Set<string>>();

function allowedBefore(principal: Principal, where: string): boolean {
  return passed.get(principal)?.has(where) ?? false;
}

function allowed(principal: Principal, where: string): void {
  let fields = passed.get(principal);
  if (!fields) {
    fields = new Set();
    passed.set(principal, fields);
  }
  fields.add(where);
}

/**
 * The FORBIDDEN error for reading an object of type `typeName` (by global id in `node`, or by representation
 * in `_entities`), or undefined when the caller may. A name that is no object type needs nothing here: the
 * lookup itself answers it.
 */
export function typeRefusal(schema: GraphQLSchema, principal: Principal, typeName: string): GraphQLError | undefined {
  const type = schema.getType(typeName);
  if (!type || !isObjectType(type)) return undefined;
  return refuse(principal, typeRequirements(schema, type), typeName);
}

function refuse(principal: Principal, needs: Requirements, where: string): GraphQLError | undefined {
  for (const requirement of needs) {
    const missing = missingScopes(principal, requirement);
    if (missing.length > 0) return forbidden(missing, where, requirement);
  }
  return undefined;
}

/**
 * The scopes still missing for the alternative closest to being met, or none when one is met. An empty
 * requirement (`scopes: []`) can never be met: nothing is granted by omission.
 */
export function missingScopes(principal: Principal, requirement: ScopeRequirement): readonly string[] {
  let closest: readonly string[] | undefined;
  for (const alternative of requirement) {
    const missing = alternative.filter((scope) => !(isScope(scope) && principal.can(scope)));
    if (missing.length === 0) return [];
    if (closest === undefined || missing.length < closest.length) closest = missing;
  }
  return closest ?? ['*'];
}

const typeCache = new WeakMap<GraphQLNamedType, Requirements>();

function typeRequirements(schema: GraphQLSchema, type: GraphQLNamedType): Requirements {
  let found = typeCache.get(type);
  if (!found) {
    found = [type.astNode, ...type.extensionASTNodes].flatMap((node) => requirementsOf(schema, node?.directives, type.name));
    typeCache.set(type, found);
  }
  return found;
}

function fieldRequirements(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): Requirements {
  return requirementsOf(schema, field.astNode?.directives, field.name);
}

function requirementsOf(schema: GraphQLSchema, directives: readonly ConstDirectiveNode[] | undefined, where: string): Requirements {
  const definition = schema.getDirective(DIRECTIVE);
  if (!definition) return [];
  return (directives ?? []).filter((node) => node.name.value === DIRECTIVE).map((node) => parseRequirement(definition, node, where));
}

/** A scope the code does not know is a schema bug: refused when the schema is built, not at request time. */
function parseRequirement(definition: GraphQLDirective, node: ConstDirectiveNode, where: string): ScopeRequirement {
  const values = getDirectiveValues(definition, { directives: [node] });
  const scopes = values?.scopes;
  const valid =
    Array.isArray(scopes) && scopes.every((inner) => Array.isArray(inner) && inner.every((scope) => typeof scope === 'string' && isScope(scope)));
  if (!valid) throw new Error(`@${DIRECTIVE} on ${where} must list known scopes, got ${JSON.stringify(scopes)}`);
  return Object.freeze((scopes as string[][]).map((inner) => Object.freeze([...inner])));
}
